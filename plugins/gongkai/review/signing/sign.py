"""`gongkai sign`: check that the key is the roster's key for the reviewer, sign, write the block.

Refuses (ScaffoldError, nothing written) when the key is not the reviewer's in the roster in
effect, when the key is revoked or outside its validity today, or the reviewer wrote the item.
The file keeps its UTF-8 BOM and its line endings.
"""
from __future__ import annotations

from datetime import date

from gongkai.core.catalog import Catalog
from gongkai.core.digest import content_digest
from gongkai.core.items import Item, parse_item
from gongkai.core.scaffold import ScaffoldError, replace_review_block
from gongkai.review.signing.keys import Signer
from gongkai.review.signing.roster import ROSTER_DIR, RosterChain
from gongkai.review.signing.signoff import statement_for
from gongkai.review.signing.statement import SIGNOFF_NAMESPACE

BOM = "\ufeff"


def check_signer(chain: RosterChain, catalog: Catalog, reviewer: str, signer: Signer | None, today: date) -> None:
    roster = chain.roster
    if roster is None:
        raise ScaffoldError(f"没有生效的审查人员名单（{ROSTER_DIR}/），无法签署；先运行 gongkai check 查看名单的问题")
    if reviewer not in roster.names or reviewer not in catalog.reviewers:
        raise ScaffoldError(f"「{reviewer}」不是经授权的保密审查人员（审查人员名单 {roster.rel}：{'、'.join(roster.names)}）")
    if signer is None:
        fps = "、".join(k.key.fingerprint for k in roster.keys_of(reviewer))
        raise ScaffoldError(f"没有找到「{reviewer}」的私钥：用 --key 指定私钥文件，或把密钥加入 ssh-agent（名单中的密钥：{fps}）")
    key = roster.keys.get(signer.public.fingerprint)
    if key is None or key.reviewer != reviewer:
        owner = f"（它是「{key.reviewer}」的密钥）" if key else ""
        raise ScaffoldError(f"密钥 {signer.public.fingerprint} 不是名单 {roster.rel} 中「{reviewer}」的密钥{owner}，不能以「{reviewer}」的名义签署")
    refused = key.refusal(today)
    if refused:
        raise ScaffoldError(refused[1])


def refusal(item: Item, catalog: Catalog, reviewer: str, decision: str) -> str | None:
    if decision not in catalog.decisions:
        return f"审查结论「{decision}」无效，可选：{'、'.join(catalog.decisions)}"
    author = item.meta.get("author")
    if isinstance(author, str) and author.strip() == reviewer:
        return f"{item.rel}：审查人不能审查本人撰写的条目（撰稿人为 {author}），请由其他审查人员签署"
    return None


def sign_item(item: Item, catalog: Catalog, signer: Signer, reviewer: str, decision: str, today: date) -> str:
    """Sign item with signer (already checked by check_signer); return the digest signed."""
    refused = refusal(item, catalog, reviewer, decision)
    if refused:
        raise ScaffoldError(refused)
    digest = content_digest(item)
    review = {"reviewer": reviewer, "date": today.isoformat(), "decision": decision, "digest": digest, "key": signer.public.fingerprint}
    review["signature"] = signer.sign(statement_for(item.id, review), SIGNOFF_NAMESPACE)
    block = "review:  # 保密审查签署：由 gongkai sign 生成，请勿手工修改\n" + "".join(f"  {k}: {v}\n" for k, v in review.items())
    raw = item.path.read_bytes().decode("utf-8")
    bom = BOM if raw.startswith(BOM) else ""
    original = raw[len(bom):]
    updated = replace_review_block(original, block)
    signed = parse_item(item.path, item.path.parent, text=updated)
    if signed.parse_problems or content_digest(signed) != digest or signed.review.get("signature") != review["signature"]:
        raise ScaffoldError(f"{item.rel}：写入签署后内容发生变化，已放弃写入；请检查元数据格式")
    if "\r\n" in original:
        updated = updated.replace("\n", "\r\n")
    item.path.write_bytes((bom + updated).encode("utf-8"))
    return digest
