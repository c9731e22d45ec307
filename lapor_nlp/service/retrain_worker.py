"""The retraining worker process: ``python -m lapor_nlp.service.retrain_worker JOB_ID``.

Started by the server (or ``lapor-nlp retrain``) that created the job, with the same
``LAPOR_*`` settings. Exit code 0 when the job succeeded, 1 when it failed.
"""

from __future__ import annotations

import argparse
import logging

from lapor_nlp.service.offline import open_services
from lapor_nlp.settings import get_settings

logger = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    """Run the retraining job named on the command line; 1 when it did not succeed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("job_id")
    args = parser.parse_args(argv)
    settings = get_settings()
    from lapor_nlp.observability import configure_logging

    configure_logging(settings.log_level, settings.log_format)
    services = open_services(settings)
    try:
        view = services.jobs.run(args.job_id)
    finally:
        services.close()
    logger.info("retrain job %s: %s", view.job_id, view.status)
    return 0 if view.status == "succeeded" else 1


if __name__ == "__main__":
    raise SystemExit(main())
