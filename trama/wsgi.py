import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trama.settings")
application = get_wsgi_application()
# Every view module (and what they import: scikit-learn, matplotlib, SciPy) loaded now, not by the first request
# each worker serves, which otherwise waits 4-12 s on 2 cores. With gunicorn's --preload the loading is done
# once, before the workers fork, and they share it.
get_resolver().url_patterns  # noqa: B018  (the attribute loads the URLconf)
# What is loaded now lives as long as the process: moved out of the garbage collector's reach, so that its full
# collections, every few hundred requests, do not walk the few hundred thousand objects of the loaded modules
# again each time (about 20 ms a collection on this machine), and the preloaded pages stay shared after the fork.
gc.collect()
gc.freeze()
