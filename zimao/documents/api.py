from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import field_validator

from zimao.lib.schemas import ERRORS, ConflictOut, Id, Text, nul_at

from .models import Document, Fact
from .selectors import document_list, fact_list
from .services import ReviewError, fact_review

router = Router(tags=["documents"], auth=django_auth)


class DocumentOut(Schema):
    id: int
    title: str
    original_name: str
    sha256: str
    size: int
    format: str
    encoding: str
    status: str
    error: str
    fact_count: int
    subject_zones: list[str]  # what the document is about (zone codes), not what it names most
    subject_status: str  # "auto" (judged at ingestion), "reviewed" (set by a reviewer) or ""

    @staticmethod
    def resolve_fact_count(obj: Document) -> int:
        counted = getattr(obj, "fact_count", None)  # annotated by the list query
        return obj.facts.count() if counted is None else counted


class FactOut(Schema):
    id: int
    document: int
    type: str
    start: int
    end: int
    text: str
    confidence: float
    payload: dict[str, Any]
    state: str
    version: int

    @staticmethod
    def resolve_document(obj: Fact) -> int:
        return obj.document_id


class ReviewIn(Schema):
    action: Literal["accept", "reject", "correct"]
    fields: dict[str, str | int | float | bool | None | list[str]] | None = None
    version: Id | None = None

    @field_validator("fields")
    @classmethod
    def no_nul(cls, value: Any) -> Any:
        if nul_at(value) is not None:
            raise ValueError(_("不能含有 NUL 控制字符"))
        return value


@router.get("/documents", response={200: list[DocumentOut], **ERRORS})
@paginate
def list_documents(request: HttpRequest, status: Literal["", "processed", "failed"] = "") -> Any:
    """Ingested documents the caller may read, newest first; `status` is processed or failed."""
    return document_list(user=request.user, status=status)


@router.get("/documents/{document_id}", response={200: DocumentOut, **ERRORS})
def get_document(request: HttpRequest, document_id: Id) -> Document:
    return get_object_or_404(document_list(user=request.user), pk=document_id)


@router.get("/facts", response={200: list[FactOut], **ERRORS})
@paginate
def list_facts(
    request: HttpRequest, document: Id | None = None, type: Text = "", state: Text = ""
) -> Any:
    """Facts with their source spans; filter by document, type and review state."""
    return fact_list(user=request.user, document=document, type=type, state=state)


@router.post("/facts/{fact_id}/review", response={200: FactOut, **ERRORS, 409: ConflictOut})
def review_fact(request: HttpRequest, fact_id: Id, body: ReviewIn) -> Fact:
    """Accept, reject or correct a fact (correct needs `fields`); the decision is audited.
    Offices review the facts of their own scope's documents; the national office all."""
    fact = get_object_or_404(fact_list(user=request.user), pk=fact_id)
    try:
        return fact_review(
            fact=fact,
            user=request.user,
            action=body.action,
            fields=body.fields,
            version=body.version,
        )
    except ReviewError as exc:
        raise ValidationError({"action": str(exc)}) from exc
