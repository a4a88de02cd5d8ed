"""The shop's settings, served with the benchmark's ceiling page (bench/urls.py)."""

from shop.settings import *

ROOT_URLCONF = "bench.urls"
