"""The reviewer's correction of a document's subject (the panel is a template tag)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zimao.accounts.access import Action, allowed

from .selectors import document_list
from .subject_review import SubjectError, SubjectForm, subject_correct


@require_POST
@login_required
def document_subject_view(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(document_list(user=request.user), pk=pk)
    if not allowed(request.user, Action.REVIEW, document):
        raise PermissionDenied(_("该文档不在您的审核范围内。"))
    form = SubjectForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, _("主题未保存：%(e)s") % {"e": "；".join(errors)})
        return redirect(f"{document.get_absolute_url()}#subject")
    try:
        subject_correct(
            user=request.user,
            document=document,
            zones=form.cleaned_data["zones"],
            note=form.cleaned_data["note"],
        )
    except SubjectError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已保存文档主题。"))
    return redirect(f"{document.get_absolute_url()}#subject")
