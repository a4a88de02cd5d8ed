from django_tasks import task

from shop.job.services import job_run


@task()
def run_job(name: str, period: str) -> str:
    return job_run(name=name, period=period)
