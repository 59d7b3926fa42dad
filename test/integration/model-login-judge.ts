// What each call to a QR login must answer, given the model's state (model-login-model.ts): a
// judge per endpoint, written from docs/logins.md. Each returns the next state or why the
// Worker's answer is wrong.
import { APPROVE_WINDOW_MS } from "../../src/core/login";
import {
  type Call,
  deadlineOf,
  end,
  expectOk,
  keyRefusal,
  type LoginModel,
  refusalOf,
  refused,
  type Seen,
  touch,
  type Verdict,
  type World,
} from "./model-login-model";

/**
 * Judge what the Worker answered to `call` at `t` against the model: the next model, or why the
 * answer is wrong. The answer's handle (a scan's 200) becomes the model's handle.
 */
export function judge(m0: LoginModel, call: Call, t: number, seen: Seen, w: World): Verdict {
  if (seen.status >= 500) return { ok: false, why: `5xx: ${JSON.stringify(seen.body)}` };
  switch (call.op) {
    case "open":
      return judgeOpen(m0, call, t, seen);
    case "scan":
      return judgeScan(m0, call, t, seen, w);
    case "approve":
      return judgeApprove(m0, call, t, seen, w);
    case "deny":
      return judgeDeny(m0, call, t, seen);
    case "get":
      return judgeGet(m0, call, t, seen, w);
    case "exchange":
      return judgeExchange(m0, call, t, seen, w);
  }
}

function judgeScan(
  m0: LoginModel,
  call: Extract<Call, { op: "scan" }>,
  t: number,
  seen: Seen,
  w: World,
): Verdict {
  const rejected = { ...m0, hops: { ...m0.hops, rejected: m0.hops.rejected + 1 } };
  // A forged link is refused at the edge (its `rejected` hop names no login).
  if (call.link === "forged") return refused(m0, seen, 400, "invalid_token");
  // An expired link is refused at the edge, without asking the object — unless it carries a
  // claim within an approval window of its end: the first scanner's retry may still be answered.
  const linkEnd = call.link === "expired" ? (Math.floor(t / 1000) - 1) * 1000 : m0.expiresAt;
  const late = t >= linkEnd;
  if (late && (call.claim === null || t >= linkEnd + APPROVE_WINDOW_MS))
    return refused(rejected, seen, 410, "expired");
  if (m0.status === "purged") return refused(m0, seen, 404, "not_found");
  const m = touch(m0, t);
  // The object's 410 is counted `rejected` when the edge let an expired link through.
  const lateRefusal = { ...m, hops: late ? rejected.hops : m.hops };
  if (m.status === "expired") return refused(lateRefusal, seen, 410, "expired");
  const answer = (next: LoginModel): Verdict => {
    const why = expectOk(seen, {
      id: w.loginId,
      expires_at: next.scannedAt! + APPROVE_WINDOW_MS,
      proximity: { same_network: next.scanner === "A" },
      created_by: w.createdBy,
    });
    if (why) return { ok: false, why };
    const handle = seen.body.scan;
    if (typeof handle !== "string" || handle.length < 16) return { ok: false, why: "no handle" };
    // A retry is answered the handle the first answer carried (derived from the claim).
    if (next === m && handle !== m.handle) return { ok: false, why: "a retry got another handle" };
    return { ok: true, model: { ...next, handle } };
  };
  // The first scanner's retry with its claim: answered again, nothing else happens.
  if (m.status === "scanned" && m.claim !== null && call.claim === m.claim) return answer(m);
  if (late) return refused(lateRefusal, seen, 410, "expired");
  if (m.status !== "pending") {
    const warned = { ...m, otherScans: m.otherScans + 1 };
    return refused(
      { ...warned, hops: { ...m.hops, rejected: m.hops.rejected + 1 } },
      seen,
      409,
      "already_scanned",
    );
  }
  return answer({
    ...m,
    status: "scanned",
    scannedAt: t,
    claim: call.claim,
    scanner: call.phone,
    hops: { ...m.hops, scanned: m.hops.scanned + 1 },
  });
}

function judgeApprove(
  m0: LoginModel,
  call: Extract<Call, { op: "approve" }>,
  t: number,
  seen: Seen,
  w: World,
): Verdict {
  const byKey = keyRefusal(call.by);
  if (byKey) return refused(m0, seen, ...byKey);
  if (m0.status === "purged") return refused(m0, seen, 404, "not_found");
  const m = touch(m0, t);
  const holds = m.handle !== null && call.handle === m.handle;
  const claims = call.claims === undefined ? null : JSON.stringify(call.claims);
  if (m.status !== "scanned") {
    // The same approval again by its key (a retry after a lost answer): the login as it is.
    const a = m.approval;
    const same = a && a.subject === call.subject && a.claims === claims && a.by === call.by;
    if (holds && (m.status === "approved" || m.status === "exchanged") && same) {
      const why = expectOk(seen, { id: w.loginId, status: m.status, at: m.approvedAt });
      return why ? { ok: false, why } : { ok: true, model: m };
    }
    return refused(m, seen, ...refusalOf(m.status));
  }
  if (!holds) return refused(m, seen, 403, "forbidden");
  if (call.sameNet && m.scanner !== "A") {
    const denied = end(m, "denied", t);
    return refused(
      { ...denied, hops: { ...m.hops, denied: m.hops.denied + 1 } },
      seen,
      409,
      "proximity_failed",
    );
  }
  const why = expectOk(seen, { id: w.loginId, status: "approved", at: t });
  if (why) return { ok: false, why };
  return {
    ok: true,
    model: {
      ...m,
      status: "approved",
      approvedAt: t,
      claim: null,
      approval: { subject: call.subject, claims, by: call.by as "backend" | "other" },
      hops: { ...m.hops, approved: m.hops.approved + 1 },
    },
  };
}

function judgeDeny(
  m0: LoginModel,
  call: Extract<Call, { op: "deny" }>,
  t: number,
  seen: Seen,
): Verdict {
  if (call.by === "publishable") return refused(m0, seen, 403, "forbidden");
  if (m0.status === "purged") return refused(m0, seen, 404, "not_found");
  const m = touch(m0, t);
  const holds = m.handle !== null && call.handle === m.handle;
  // Without a key the handle is checked first: a made-up one learns nothing of the state.
  if (call.by === "none" && !holds) return refused(m, seen, 403, "forbidden");
  if (m.status !== "scanned") {
    if (holds && m.status === "denied") {
      const why = expectOk(seen, { status: "denied", at: m.endedAt });
      return why ? { ok: false, why } : { ok: true, model: m };
    }
    return refused(m, seen, ...refusalOf(m.status));
  }
  if (!holds) return refused(m, seen, 403, "forbidden");
  const why = expectOk(seen, { status: "denied", at: t });
  if (why) return { ok: false, why };
  return {
    ok: true,
    model: { ...end(m, "denied", t), hops: { ...m.hops, denied: m.hops.denied + 1 } },
  };
}

function judgeGet(
  m0: LoginModel,
  call: Extract<Call, { op: "get" }>,
  t: number,
  seen: Seen,
  w: World,
): Verdict {
  if (call.as === "publishable") return refused(m0, seen, 403, "forbidden");
  if (call.as === "none") return refused(m0, seen, 401, "unauthorized");
  if (m0.status === "purged") return refused(m0, seen, 404, "not_found");
  const m = touch(m0, t);
  if (call.as === "wrong_watch") return refused(m, seen, 403, "forbidden");
  const fields: Record<string, unknown> = {
    id: w.loginId,
    status: m.status,
    deadline: deadlineOf(m),
    scanned_at: m.scannedAt,
    approved_at: m.approvedAt,
    ended_at: m.endedAt,
    other_scans: m.otherScans,
    created_by: w.createdBy,
  };
  if (call.as !== "watch") fields.approved_by = m.approval ? w.keyIds[m.approval.by] : null;
  const why = expectOk(seen, fields);
  if (why) return { ok: false, why };
  if (call.as === "watch" && "approved_by" in seen.body)
    return { ok: false, why: "approved_by shown to the watch secret" };
  if ((m.status === "approved") !== (typeof seen.body.ticket === "string"))
    return { ok: false, why: `ticket shown ${typeof seen.body.ticket} while ${m.status}` };
  return { ok: true, model: m };
}

function judgeExchange(
  m0: LoginModel,
  call: Extract<Call, { op: "exchange" }>,
  t: number,
  seen: Seen,
  w: World,
): Verdict {
  const byKey = keyRefusal(call.by);
  if (byKey) return refused(m0, seen, ...byKey);
  const rejected = (m: LoginModel) => ({
    ...m,
    hops: { ...m.hops, rejected: m.hops.rejected + 1 },
  });
  // A forged ticket is refused before any storage (its `rejected` hop names no login).
  if (call.ticket === "forged") return refused(m0, seen, 400, "invalid_grant");
  if (m0.status === "purged") return refused(m0, seen, 404, "not_found");
  const m = touch(m0, t);
  if (m.status !== "approved") return refused(m, seen, ...refusalOf(m.status));
  if (call.verifier === "wrong")
    return refused(rejected(end(m, "burnt", t)), seen, 400, "invalid_grant");
  const a = m.approval!;
  if (call.approvedBy && call.approvedBy !== a.by)
    return refused(rejected(m), seen, 403, "forbidden");
  const why = expectOk(seen, {
    login_id: w.loginId,
    subject: a.subject,
    claims: a.claims === null ? null : JSON.parse(a.claims),
    approved_by: w.keyIds[a.by],
    approved_at: m.approvedAt,
  });
  if (why) return { ok: false, why };
  const done = end(m, "exchanged", t);
  return {
    ok: true,
    model: {
      ...done,
      hops: { ...m.hops, exchanged: m.hops.exchanged + 1 },
      exchanged: [...m.exchanged, { subject: a.subject, claims: a.claims, by: a.by }],
    },
  };
}

/** The link opened in a browser: a page, and nothing happens — no scan, no warning, no object. */
function judgeOpen(
  m: LoginModel,
  call: Extract<Call, { op: "open" }>,
  t: number,
  seen: Seen,
): Verdict {
  const expired = call.link === "expired" || (call.link === "real" && t >= m.expiresAt);
  const status = call.link === "forged" ? 404 : expired ? 410 : 200;
  if (seen.status !== status)
    return { ok: false, why: `open: expected ${status}, got ${seen.status}` };
  return { ok: true, model: m };
}
