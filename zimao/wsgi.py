"""The WSGI application; any server that imports it refuses the development secret key."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zimao.settings")
application = get_wsgi_application()

from zimao.web.checks import refuse_development_key  # noqa: E402  (needs settings loaded)

refuse_development_key()

from zimao.ops.backup import resume_at_start  # noqa: E402

resume_at_start()  # a restore stopped midway is finished before the first request

from zimao.text.segment import load_dictionary  # noqa: E402

load_dictionary()  # each server process loads the segmenter's words before its first request

from zimao.text.similarity import warm_up  # noqa: E402

warm_up()  # SciPy and scikit-learn, loaded lazily elsewhere, before gunicorn forks
