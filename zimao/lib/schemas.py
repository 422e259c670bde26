"""Pieces shared by the API routers."""

from ninja import Schema


class ErrorOut(Schema):
    detail: str
