"""The map as a GraphML network, for Gephi, yEd, networkx and similar tools.

One node for the partnership (id ``partnership``) and one per relationship (its id),
and one edge from the partnership to each agency. Every attribute is declared with a
``<key>`` and a type. Missing values (no closeness yet, say) are left out rather than
written empty. Text is escaped by the XML writer, and characters XML 1.0 cannot hold
(most control characters) are dropped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from facilitator.domain.holders import holder_count
from facilitator.domain.model import SessionState
from facilitator.export import common as c

NS = "http://graphml.graphdrawing.org/xmlns"
_SCHEMA = "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"

NODE_KEYS: tuple[tuple[str, str], ...] = (
    ("label", "string"),
    ("kind", "string"),  # partnership | agency
    ("name", "string"),
    ("agency_type", "string"),
    ("agency_type_label", "string"),
    ("agency_subtype", "string"),
    ("state", "string"),
    ("notes", "string"),
)

EDGE_KEYS: tuple[tuple[str, str], ...] = (
    ("rel_type", "string"),
    ("rel_type_label", "string"),
    ("closeness", "int"),
    ("purposes", "string"),
    ("holders", "string"),
    ("holder_count", "int"),
    ("effort", "string"),
    ("stage", "string"),
)


def _centre_id(state: SessionState) -> str:
    centre = "partnership"
    while centre in state.relationships:
        centre += "-centre"
    return centre


def to_graphml(state: SessionState) -> str:
    """The GraphML document as text."""
    root = ET.Element(
        "graphml", {"xmlns": NS, "xmlns:xsi": _XSI, "xsi:schemaLocation": f"{NS} {_SCHEMA}"}
    )
    criteria = c.rated_criteria(state)
    edge_keys = list(EDGE_KEYS) + [(f"rating_{cid}", "int") for cid in criteria]
    key_ids: dict[tuple[str, str], str] = {}
    for domain, keys in (("node", NODE_KEYS), ("edge", edge_keys)):
        for number, (name, kind) in enumerate(keys):
            key_id = f"{domain[0]}{number}"
            key_ids[(domain, name)] = key_id
            ET.SubElement(
                root,
                "key",
                {"id": key_id, "for": domain, "attr.name": name, "attr.type": kind},
            )
    graph = ET.SubElement(root, "graph", {"id": "map", "edgedefault": "directed"})

    def data(parent: ET.Element, domain: str, name: str, value: object) -> None:
        if value is None or value == "":
            return
        el = ET.SubElement(parent, "data", {"key": key_ids[(domain, name)]})
        el.text = c.xml_text(value)

    centre = _centre_id(state)
    node = ET.SubElement(graph, "node", {"id": centre})
    area = state.info.area
    data(node, "node", "label", f"{area} partnership" if area else "The partnership")
    data(node, "node", "kind", "partnership")
    data(node, "node", "name", area or state.info.title)

    for rid, rel in state.relationships.items():
        node = ET.SubElement(graph, "node", {"id": c.xml_text(rid)})
        data(node, "node", "label", rel.name)
        data(node, "node", "kind", "agency")
        data(node, "node", "name", rel.name)
        data(node, "node", "agency_type", rel.agency_type)
        data(node, "node", "agency_type_label", c.label("agency_types", rel.agency_type))
        data(node, "node", "agency_subtype", rel.agency_subtype)
        data(node, "node", "state", rel.state)
        data(node, "node", "notes", rel.notes)

    ratings: dict[tuple[str, str], int | None] = {
        (r.relationship_id, r.criterion_id): r.score for r in state.rows["rating"].values()
    }
    for number, (rid, rel) in enumerate(state.relationships.items()):
        edge = ET.SubElement(
            graph, "edge", {"id": f"e{number}", "source": centre, "target": c.xml_text(rid)}
        )
        holders = c.labels("holders", rel.holder_roles)
        holders += c.holder_names(state, rel.holder_participants)
        data(edge, "edge", "rel_type", rel.rel_type)
        data(edge, "edge", "rel_type_label", c.label("relationship_types", rel.rel_type))
        data(edge, "edge", "closeness", rel.closeness)
        data(edge, "edge", "purposes", ",".join(rel.purposes))
        data(edge, "edge", "holders", ", ".join(holders))
        count = holder_count(rel.holder_roles, rel.holder_participants, state.participants)
        data(edge, "edge", "holder_count", count)
        data(edge, "edge", "effort", rel.effort)
        data(edge, "edge", "stage", c.stage_of(state, rid))
        for cid in criteria:
            data(edge, "edge", f"rating_{cid}", ratings.get((rid, cid)))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
