from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from zimao.lib.schemas import ErrorOut

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

    @staticmethod
    def resolve_fact_count(obj: Document) -> int:
        return getattr(obj, "fact_count", None) or obj.facts.count()


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

    @staticmethod
    def resolve_document(obj: Fact) -> int:
        return obj.document_id


class ReviewIn(Schema):
    action: Literal["accept", "reject", "correct"]
    fields: dict[str, Any] | None = None


@router.get("/documents", response=list[DocumentOut])
@paginate
def list_documents(request: HttpRequest, status: str = "") -> Any:
    """Ingested documents, newest first; `status` is processed or failed."""
    return document_list(status=status)


@router.get("/documents/{document_id}", response={200: DocumentOut, 404: ErrorOut})
def get_document(request: HttpRequest, document_id: int) -> Document:
    return get_object_or_404(Document, pk=document_id)


@router.get("/facts", response=list[FactOut])
@paginate
def list_facts(
    request: HttpRequest, document: int | None = None, type: str = "", state: str = ""
) -> Any:
    """Facts with their source spans; filter by document, type and review state."""
    return fact_list(document=document, type=type, state=state)


@router.post("/facts/{fact_id}/review", response={200: FactOut, 404: ErrorOut, 422: ErrorOut})
def review_fact(request: HttpRequest, fact_id: int, body: ReviewIn) -> Fact:
    """Accept, reject or correct a fact (correct needs `fields`); the decision is audited."""
    if not request.user.has_perm("documents.change_fact"):
        raise HttpError(403, "you may not review facts")
    fact = get_object_or_404(Fact, pk=fact_id)
    try:
        return fact_review(fact=fact, user=request.user, action=body.action, fields=body.fields)
    except ReviewError as exc:
        raise HttpError(422, str(exc)) from exc
