from tests.mail.conftest import worker_process  # noqa: F401 (the worker process fixture)
