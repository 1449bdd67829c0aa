from haystack import component

from service.glossary import expand


@component
class GlossaryQueryExpander:
    """Adds the other form of each children's-services term in a query (acronym <-> spelled out).

    Usage:
        expander = GlossaryQueryExpander()
        expander.run(query="NFA rates")  # expanded: "NFA rates no further action"
    """

    def __init__(self, enabled: bool = True):
        """:param enabled: Set False to search with the query exactly as written."""
        self.enabled = enabled

    @component.output_types(query=str, expanded=str, additions=list[str])
    def run(self, query: str):
        """
        :param query: The user's words.
        :returns: `query` unchanged, `expanded` with the glossary's additions appended, and the
            `additions` themselves.
        """
        additions = expand(query) if self.enabled else []
        expanded = " ".join([query, *additions]) if additions else query
        return {"query": query, "expanded": expanded, "additions": additions}
