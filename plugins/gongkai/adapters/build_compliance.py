"""A build's compliance check: at once for a small project, beside a large build in a forked process.

At 10,000 items the checks take about 4 s on one core (most of it the link check), before
MkDocs renders anything, while the other core waits. A large build starts them in a second
process once the plan is made and reads their outcome once the pages are written, before
the site is put in place: a blocking problem still fails the build, and the report is still
written only when the build succeeds. Small builds (and the pre-commit hook's) keep one
process and the summary's place at the top of the log.
"""
from __future__ import annotations

import os
import pickle
import tempfile
import traceback
from pathlib import Path

from mkdocs.exceptions import PluginError

from gongkai.adapters.build_log import check_compliance, log_compliance
from gongkai.adapters.split_render import MIN_PAGES_ENV
from gongkai.core.parallel import fork_build_process, memory_allows_fork, worker_count
from gongkai.project import State
from gongkai.reports.compliance import ComplianceReport, run_checks
from gongkai.site.plan import SitePlan

MIN_ITEMS = 1500  # below this the checks take well under a second: not worth a process (tests lower it)


class BuildCompliance:
    def __init__(self, state: State, plan: SitePlan, folder: Path, strict: bool):
        self.folder, self.strict = folder, strict
        self.report: ComplianceReport | None = None
        self.pid, self.result_file = 0, None
        if worker_count(len(state.items), int(os.environ.get(MIN_PAGES_ENV) or MIN_ITEMS)) < 2 or not memory_allows_fork():
            self.report = check_compliance(state, plan, folder, strict, write=False)
            return
        handle, name = tempfile.mkstemp(prefix="gongkai-compliance-")
        os.close(handle)
        self.result_file = Path(name)
        self.pid = fork_build_process()
        if self.pid == 0:
            _run_child(state, plan, self.result_file)  # never returns

    def finish(self) -> ComplianceReport:
        """The report (waiting for the second process); logged, and a blocking problem fails a strict build."""
        if self.report is not None:
            return self.report
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        try:
            outcome = pickle.loads(self.result_file.read_bytes())  # our own child's file, just written
        except (OSError, ValueError, EOFError, pickle.UnpicklingError):
            outcome = f"退出状态 {os.waitstatus_to_exitcode(status)}"
        finally:
            self.result_file.unlink(missing_ok=True)
        if not isinstance(outcome, ComplianceReport):
            raise PluginError(f"合规检查出错，已停止构建：{outcome}")
        self.report = outcome
        log_compliance(outcome, self.strict)
        return outcome

    def abandon(self) -> None:
        """The build failed elsewhere: stop the second process."""
        if self.pid:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = 0
        if self.result_file is not None:
            self.result_file.unlink(missing_ok=True)


def _run_child(state: State, plan: SitePlan, result_file: Path) -> None:
    status = 1
    try:
        outcome: object = run_checks(state, plan=plan)
        status = 0
    except BaseException:
        outcome = traceback.format_exc(limit=3)
    try:
        result_file.write_bytes(pickle.dumps(outcome))
    finally:
        os._exit(status)  # skip every exit handler: the parent owns the build's clean-up
