"""Reading a page as a person (or a browser) does: its links by name, its fields, the text of its parts.

Tests assert what a user notices, not how the markup happens to be written: `link(page, "Later times")`
rather than a regular expression over `<a href=…>`. Built on the standard library's html.parser.
"""

from html.parser import HTMLParser

# Elements that never hold anything, and those that sit inside a line of text rather than start their own.
INLINE = {"a", "abbr", "b", "bdi", "code", "em", "i", "label", "small", "span", "strong", "time"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    """One element of a page: its tag, attributes, children, and the text inside it."""

    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []
        self.parts = []  # text and child elements, in page order

    @property
    def text(self):
        """The text inside, with runs of white space made single spaces, as a screen reader reads it."""
        return " ".join(self._words(shown_only=False).split())

    @property
    def shown_text(self):
        """The text a sighted person reads: without what is only there for screen readers."""
        return " ".join(self._words(shown_only=True).split())

    def _words(self, shown_only):
        return "".join(part if isinstance(part, str) else part._spoken(shown_only) for part in self.parts)

    def _spoken(self, shown_only):
        if shown_only and "visually-hidden" in self.classes():
            return ""
        return self._words(shown_only) + " " * (self.tag not in INLINE)

    def __getitem__(self, name):
        return self.attrs[name]

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def classes(self):
        return (self.get("class") or "").split()

    def find_all(self, tag=None, **attrs):
        """Every element below this one with that tag (any tag if None) and those attribute values
        (`class_` matches one class among several)."""
        found = []
        for child in self.children:
            if child.matches(tag, attrs):
                found.append(child)
            found.extend(child.find_all(tag, **attrs))
        return found

    def find(self, tag=None, **attrs):
        """The first such element, or None."""
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def matches(self, tag, attrs):
        if tag is not None and self.tag != tag:
            return False
        for name, value in attrs.items():
            if name == "class_":
                if value not in self.classes():
                    return False
            elif self.get(name.replace("_", "-")) != value:
                return False
        return True


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("document", {})

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        self.current.parts.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        self.current.parts.append(element)

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.parts.append(data)


def parse(page):
    """A page (a response, or its HTML) as a tree of Elements."""
    html = page if isinstance(page, str) else page.get_data(as_text=True)
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def field(page, name):
    """The value of the form field `name` (the first one on the page), such as a hidden token."""
    found = parse(page).find("input", name=name)
    assert found is not None, f"no field named {name!r} on the page"
    return found.get("value", "")


def form_token(page):
    """The signed form token a public form was given."""
    return field(page, "form_token")


def csrf_token(page):
    """The CSRF token of a workstation form."""
    return field(page, "csrf_token")


def slot_starts(page):
    """The start times (ISO text) a page offers as slot buttons, in page order."""
    return [button["value"] for button in parse(page).find_all("button", name="start")]


def links_on(page):
    """Every link on the page as (its text, where it goes), in page order."""
    return [(a.text, a.get("href")) for a in parse(page).find_all("a")]


def link_names(page):
    """The text of every link on the page, in page order."""
    return [text for text, _ in links_on(page)]


def link(page, name):
    """Where the link whose text is `name` goes; fails if the page shows no such link."""
    targets = [href for text, href in links_on(page) if text == name]
    assert targets, f"no link named {name!r} among {link_names(page)}"
    return targets[0]


def texts(page, tag=None, **attrs):
    """The text of every element with that tag and those attributes (see Element.find_all)."""
    return [element.text for element in parse(page).find_all(tag, **attrs)]


def details(page):
    """The page's description lists as {term: its <dd> Element}: `details(page)["Notice"].text`."""
    terms = {}
    for term in parse(page).find_all("dt"):
        siblings = term.parent.children
        following = siblings[siblings.index(term) + 1 :]
        if following and following[0].tag == "dd":
            terms[term.text] = following[0]
    return terms
