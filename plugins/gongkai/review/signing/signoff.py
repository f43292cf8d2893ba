"""Is an item's `review:` block a signature, by a roster key, over this item's statement?

    check = SignoffCheck(chain, items)
    check.refusals(item, review_date)   # [] or [(code, Chinese reason)]

The gate asks this for every signed item; the block's digest is compared with the content by
the gate itself (`stale`), so a valid signature over older content reads as "changed since".
"""
from __future__ import annotations

from datetime import date

from gongkai.core.digest import content_digest
from gongkai.core.parallel import start_map
from gongkai.core.items import Item
from gongkai.review.signing.cache import VerifiedCache
from gongkai.review.signing.roster import ROSTER_DIR, RosterChain
from gongkai.review.signing.statement import SIGNOFF_NAMESPACE, signoff_statement

VERIFY_POOL_MINIMUM = 400  # signatures below which workers cost more than they save (~0.1 ms each)
RESIGN = "请审查人员核对后用本人密钥重新签署：gongkai sign {path} --reviewer {name} --key <私钥文件>（或使用 ssh-agent）"


def _resign(item: Item, name: str) -> str:
    return RESIGN.format(path=item.rel, name=name or "<姓名>")


def statement_for(item_id: str, review: dict) -> bytes:
    return signoff_statement(item_id, str(review.get("digest", "")), str(review.get("decision", "")), str(review.get("date", "")), str(review.get("reviewer", "")), str(review.get("key", "")))


class SignoffCheck:
    def __init__(self, chain: RosterChain, items: list[Item], cache: VerifiedCache | None = None):
        self.chain, self.items, self.cache = chain, items, cache
        self._by_digest: dict[str, Item] | None = None
        self._verified: dict[tuple[str, bytes, str], bool] = {}
        self._verified_ahead: dict[tuple[str, bytes, str], bool] = {}  # by start_verifying()
        self._pending = None  # waits for start_verifying()'s workers
        self._names: set[str] | None = None  # the roster's reviewers
        self._entries: dict[tuple[str, bytes, str], str | None] = {}  # cache entries start_verifying() computed
        self._found: dict[int, tuple] = {}  # id(item) -> (item, review date, key/statement/signature) from start_verifying()

    def refusals(self, item: Item, review_date: date | None) -> list[tuple[str, str]]:
        review = item.review
        ahead = self._found.pop(id(item), None)  # what start_verifying() found for this item and date
        found = ahead[2] if ahead is not None and ahead[0] is item and ahead[1] == review_date else self._to_verify(item, review_date)
        if isinstance(found, list):
            return found
        key, statement, signature = found
        if self._verify(key, statement, signature):
            return []
        resign = _resign(item, str(review.get("reviewer", "")).strip())
        source = self._signed_elsewhere(item, review)
        if source is not None:
            return [("replayed", f"签署是从条目 {source.rel}（{source.id}）复制来的，签名不属于本条目；{resign}")]
        return [("bad_signature", f"签名与签署内容（索引号、内容摘要、结论、日期、审查人）不符：伪造、手工改写或从其他条目复制；{resign}")]

    def _to_verify(self, item: Item, review_date: date | None):
        """The refusals found before the signature itself, or (key, statement, signature) to verify."""
        review, roster = item.review, self.chain.roster
        name = str(review.get("reviewer", "")).strip()
        if not review.get("signature") or not review.get("key"):
            return [("name_only", f"只有审查人姓名、没有密钥签名的签署无效；{_resign(item, name)}")]
        if roster is None:
            return [("no_roster", f"没有生效的审查人员名单（见 {ROSTER_DIR}/ 的错误），签署无法核对")]
        if self._names is None:
            self._names = set(roster.names)
        if name not in self._names:
            return [("unauthorised", f"审查人「{name}」不在审查人员名单 {roster.rel} 中")]
        fp = str(review.get("key"))
        key = roster.keys.get(fp)
        if key is None or key.reviewer != name:
            return [("key_not_in_roster", f"签署所用密钥 {fp} 不是名单 {roster.rel} 中「{name}」的密钥")]
        if review_date is None:
            return [("bad_signature", f"审查日期「{review.get('date')}」无效；{_resign(item, name)}")]
        refused = key.refusal(review_date)
        if refused:
            return [refused]
        return key.key, statement_for(item.id, review), str(review.get("signature"))

    def start_verifying(self, review_dates: list[tuple[Item, date | None]]) -> None:
        """Verify in worker processes, meanwhile, the signatures refusals() will check for these
        (item, review date) pairs and the cache does not vouch for (most of a cold check's
        signing time at 10,000 items); refusals() waits for them when it needs one."""
        jobs: dict[tuple[str, bytes, str], tuple] = {}
        for item, review_date in review_dates:
            found = self._to_verify(item, review_date) if item.review else []
            if isinstance(found, list):
                continue
            self._found[id(item)] = (item, review_date, found)
            key, statement, signature = found
            cache_key = (key.fingerprint, statement, signature)
            entry = self._entries[cache_key] = self._entry(*cache_key)
            if entry is None or entry not in self.cache:
                jobs[cache_key] = found
        keys, waiting = list(jobs), start_map(_verify_job, list(jobs.values()), VERIFY_POOL_MINIMUM)
        self._pending = lambda: dict(zip(keys, waiting()))

    def finish(self) -> None:
        """Wait for start_verifying()'s workers if nothing has yet (so that they end now)."""
        if self._pending is not None:
            self._verified_ahead, self._pending = self._pending(), None

    def _verify(self, key, statement: bytes, signature: str) -> bool:
        cache_key = (key.fingerprint, statement, signature)
        if cache_key not in self._verified:
            entry = self._entries.pop(cache_key) if cache_key in self._entries else self._entry(*cache_key)
            if entry is not None and entry in self.cache:
                self._verified[cache_key] = True
            else:
                self.finish()
                ok = self._verified_ahead.get(cache_key)
                self._verified[cache_key] = ok = key.verify(statement, signature, SIGNOFF_NAMESPACE) if ok is None else ok
                if ok and self.cache:
                    self.cache.add(entry)  # only successes: a failure is always checked again
        return self._verified[cache_key]

    def _entry(self, fingerprint: str, statement: bytes, signature: str) -> str | None:
        return self.cache.entry(fingerprint, statement, signature, SIGNOFF_NAMESPACE) if self.cache else None

    def _signed_elsewhere(self, item: Item, review: dict) -> Item | None:
        """The other item whose sign-off this one is a copy of (the signature names it)."""
        if self._by_digest is None:
            self._by_digest = {content_digest(other): other for other in self.items}
        other = self._by_digest.get(str(review.get("digest", "")))
        if other is None or other is item:
            other = next((o for o in self.items if o is not item and o.review.get("signature") == review.get("signature")), None)
        if other is None or other.id == item.id:
            return None
        key = self.chain.roster.keys[str(review.get("key"))].key
        return other if self._verify(key, statement_for(other.id, review), str(review.get("signature"))) else None


def _verify_job(job) -> bool:
    key, statement, signature = job
    return key.verify(statement, signature, SIGNOFF_NAMESPACE)
