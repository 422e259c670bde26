from django.apps import AppConfig


class VocabConfig(AppConfig):
    name = "zimao.vocab"
    verbose_name = "共享词表"
