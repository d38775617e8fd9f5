"""`albumen documents ...`: label documents, classify a file, the rules that give
categories, the library's classifier."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from albumen.cli.common import JsonOpt, UserOpt, fail, owner, runtime
from albumen.cli.output import console, print_json
from albumen.errors import AlbumenError

documents_app = typer.Typer(help="Documents: categories, rules, classification",
                            no_args_is_help=True)
rules_app = typer.Typer(help="Rules that give documents a category", no_args_is_help=True)
documents_app.add_typer(rules_app, name="rules")


@documents_app.command("label")
def label(asset_id: int, category: Annotated[str | None, typer.Argument(
        help="the category (leave out with --clear)")] = None,
          clear: Annotated[bool, typer.Option("--clear", help="take the label back")] = False,
          as_json: JsonOpt = False) -> None:
    """Say which category a document is in; its library's classifier learns from it."""
    from albumen.documents import service

    rt = runtime()
    if (category is None) != clear:
        fail(AlbumenError("give a CATEGORY, or --clear"), as_json)
    try:
        service.label(rt, asset_id, None if clear else category)
    except AlbumenError as exc:
        fail(exc, as_json)
    from albumen.db.documents import Document

    with rt.session() as session:
        doc = session.get(Document, asset_id)
        result = {"asset_id": asset_id, "category": doc.category if doc else None,
                  "category_source": doc.category_source if doc else None,
                  "category_confidence": doc.category_confidence if doc else None}
    if as_json:
        print_json(result)
    else:
        console.print(f"document {asset_id}: {result['category'] or '(no category)'} "
                      f"({result['category_source'] or 'none'})")


@documents_app.command("classify")
def classify(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
             user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """What a file (PDF, TIFF, photo of a document) says and its category, nothing stored."""
    from albumen.documents import service

    rt = runtime()
    try:
        text = service.file_text(rt, file)
        found = service.classify_text(rt, text, owner(rt, user))
    except AlbumenError as exc:
        fail(exc, as_json)
    result = {"file": str(file), "language": found.language, "keywords": found.keywords,
              "summary": found.summary, "category": found.category,
              "category_confidence": found.confidence, "category_source": found.source,
              "category_suggested": found.suggested, "text_chars": len(text)}
    if as_json:
        print_json(result)
        return
    sure = "" if found.confidence is None else f" ({found.confidence:.0%}"
    sure += ", a suggestion)" if found.suggested else (")" if sure else "")
    console.print(f"category: {found.category or '(none)'}{sure}")
    console.print(f"language: {found.language or '?'}")
    console.print("keywords: " + ", ".join(k["term"] for k in found.keywords))
    if found.summary:
        console.print(f"summary: {found.summary}")


@documents_app.command("train")
def train(user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """Train the library's classifier now (it is retrained by itself after labels change)."""
    from albumen.documents import service

    rt = runtime()
    try:
        owner_id = owner(rt, user)
    except AlbumenError as exc:
        fail(exc, as_json)
    service.train(rt, owner_id or 0)
    with rt.session() as session:
        row = service.classifier_status(session, owner_id)
        result = {"labels": row.labels if row else 0,
                  "categories": (row.categories or []) if row else [],
                  "error": row.error if row else None}
    if as_json:
        print_json(result)
    elif result["error"]:
        console.print(f"no classifier: {result['error']}")
    else:
        console.print(f"trained on {result['labels']} labelled documents: "
                      f"{', '.join(result['categories'])}")


@rules_app.command("list")
def rules_list(user: UserOpt = None, as_json: JsonOpt = False) -> None:
    from albumen.documents import service

    rt = runtime()
    try:
        owner_id = owner(rt, user)
    except AlbumenError as exc:
        fail(exc, as_json)
    with rt.session() as session:
        docs = [{"id": r.id, "category": r.category, "algorithm": r.algorithm,
                 "pattern": r.pattern, "case_sensitive": r.case_sensitive}
                for r in service.list_rules(session, owner_id)]
    if as_json:
        print_json({"rules": docs})
        return
    table = Table("id", "category", "algorithm", "pattern")
    for d in docs:
        table.add_row(str(d["id"]), d["category"], d["algorithm"], d["pattern"])
    console.print(table)


@rules_app.command("add")
def rules_add(category: str, algorithm: Annotated[str, typer.Argument(
        help="any, all, literal, regex or fuzzy")], pattern: str,
              case_sensitive: Annotated[bool, typer.Option("--case-sensitive")] = False,
              user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """A rule: documents whose text matches get CATEGORY (before the classifier)."""
    from albumen.documents import service

    rt = runtime()
    try:
        rule_id = service.add_rule(rt, owner(rt, user), category, algorithm, pattern,
                                   case_sensitive)
    except AlbumenError as exc:
        fail(exc, as_json)
    if as_json:
        print_json({"id": rule_id})
    else:
        console.print(f"rule {rule_id} added")


@rules_app.command("remove")
def rules_remove(rule_id: int, user: UserOpt = None, as_json: JsonOpt = False) -> None:
    from albumen.documents import service

    rt = runtime()
    try:
        service.delete_rule(rt, owner(rt, user), rule_id)
    except AlbumenError as exc:
        fail(exc, as_json)
    if as_json:
        print_json({"id": rule_id, "removed": True})
    else:
        console.print(f"rule {rule_id} removed")
