"""What a commitment is, defined once: a sentence in which an officer, member or the committee
undertakes a future action ("the Director undertook to ...", "Analysis on this would be reported
back once known", "RESOLVED that ... an update report ... be made to the committee's next
meeting"). Ingest extracts them for the register; the answer stage uses the same definition to
recognise a sentence that answers "what did X promise"."""

import re

_ACTION = (
    r"(?:provide|bring|circulate|liaise|receive|return|carry out|review|update|address|take forward|"
    r"consider|report|arrange|investigate|share|write|confirm|look into|follow up|present|develop|use every|ensure|"
    r"support|advise|be making representations|continue to (?:be )?monitor)"
)
COMMITMENT = re.compile(
    r"\b(?:undert(?:ook|akes?|aken) to"
    r"|(?:agreed|promised|pledged|committed) to (?!the\b|a\b|an\b|its\b|their\b|his\b|her\b)\w+"
    r"|would (?:be )?report(?:ed)? back|(?:be )?reported back"
    r"|would (?:be )?" + _ACTION + r"\w*"
    r"|would (?:be )?(?:provided|sent|brought back|made|circulated|submitted|presented|extended|developed|carried out|undertaken|assessed|monitored|scrutinised|enhanced|published|addressed)"
    r"|to be presented to"
    r"|planned for (?:this|the|next) (?:committee|meeting|panel)"
    r"|(?:update|progress|further) report\b[^.]{0,120}?\b(?:be|would be|to be) (?:made|brought|submitted|presented|provided|received)"
    r"|asked that\b[^.]{0,160}?\bbe (?:made|provided|brought|circulated|submitted)"
    r"|would receive (?:an|another|a further)? ?(?:update|report)"
    r"|(?:ongoing|continued|firm) commitment to (?:substantially )?\w+"
    r"|would take place in due course)",
    re.I,
)

# Words with which a question asks about an undertaking ("what did the director promise",
# "what was agreed", "did the council commit to", "what assurance was given").
COMMITMENT_QUESTION = re.compile(
    # "Assurance" alone is often a name ("the Test of Assurance"); assurances given are undertakings.
    # A committee is where undertakings are made, not one.
    r"\b(?:promis\w*|commit(?!tee)\w*|undert(?:ook|ake|aken|aking)\w*|pledg\w*|agree\w*|vow\w*|assured|assurances"
    r"|(?:gave|give|given|provided) (?:an )?assurance|resolv\w*|decid\w*|report(?:ed)? back)\b",
    re.I,
)

# The words in which minutes phrase an undertaking and its follow-up, not what it is about: the
# register ignores them when it looks for a later passage on the same subject.
UNDERTAKING_WORDS = frozenset(
    """would could should undertook undertake agreed report reported back update updates meeting next
    members member committee director commissioner chairman asked made provide provided receive
    time months once known going forward resolved information noted given response comments
    questions also take place course this that with from were been into their there which""".split()
)
