"""Version of what ingest produces from a file (extraction, inference, chunking, embedding text).
A stored document built by another version is re-processed on the next run."""

# 2: a paper filed in a folder named for a council ("kent-council-2025/…") is that council's.
# 3: a heading run on into a numbered paragraph ("... to be good 34.Since ...") ends a sentence,
#    so a long paragraph may be cut there.
# 4: a sentence runs on across a page break (a blank line with lower case after it), so the
#    commitments read from sentences may change (chunks are cut at paragraphs first: unchanged).
# 5: minutes are dated by their opening, not by an item approving the minutes of the meeting
#    before; minutes filed with another meeting's papers name their own committee.
# (not raised: a report cover sheet's fields run together on one line are sentences of their own,
#    which changed no chunk and no commitment of the shared corpus: chunks are cut at paragraphs
#    first, and a cover sheet is short.)
# (not raised: a commitment's maker is named by any member title, "Miss", "Sir" and "Dame" too, which
#    changed no commitment of the shared corpus.)
PIPELINE_VERSION = "5"
