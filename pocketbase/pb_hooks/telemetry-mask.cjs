/**
 * Address masking for free text (the `error` trace) before anything is stored: POST /telemetry
 * (telemetry-ingest.cjs), records-API writes (telemetry.pb.js) and the history import.
 * CommonJS and ES2015, for PocketBase's JS engine (goja).
 */
"use strict";

/** IPv4 and IPv6 addresses (and MAC addresses) in free text, replaced before anything is stored. */
function maskAddresses(s) {
  if (!s) return s;
  const alnum = /[0-9A-Za-z]/;
  const apart = (str, at, len) => !alnum.test(str.charAt(at - 1)) && !alnum.test(str.charAt(at + len));
  let out = s.replace(/(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}/g, (m, at, str) => (apart(str, at, m.length) ? "xx:xx:xx:xx:xx:xx" : m));
  out = out.replace(/[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*/g, (m, at, str) => {
    if (!apart(str, at, m.length)) return m;
    // A sentence may end right after an address: "… to fe80::1." or "addr 2001:db8::1:".
    const core = /\.$/.test(m) || (/:$/.test(m) && !/::$/.test(m)) ? m.slice(0, -1) : m;
    return isIpv6(core) ? `x:x::x${m.slice(core.length)}` : m;
  });
  // The scripts' own log filter masks the middle two (192.x.x.20): the rest goes too.
  out = out.replace(/\d{1,3}\.x\.x\.\d{1,3}/g, (m, at, str) => (/[0-9.]/.test(str.charAt(at - 1)) || /\d/.test(str.charAt(at + m.length)) ? m : "x.x.x.x"));
  return out.replace(/\d{1,3}(?:\.\d{1,3}){3}/g, (m, at, str) => {
    const before = str.charAt(at - 1);
    const after = str.slice(at + m.length, at + m.length + 2);
    if (/[0-9.]/.test(before) || /^(\d|\.\d)/.test(after)) return m; // part of a longer number or version
    return m.split(".").every((o) => Number(o) <= 255) ? "x.x.x.x" : m;
  });
}

/** Full, compressed ("fe80::1") and IPv4-tailed ("::ffff:192.0.2.1") IPv6 addresses. */
function isIpv6(s) {
  const halves = s.split("::");
  if (halves.length > 2) return false;
  let groups = 0;
  for (let h = 0; h < halves.length; h++) {
    if (!halves[h]) continue;
    const parts = halves[h].split(":");
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (h === halves.length - 1 && i === parts.length - 1 && p.indexOf(".") >= 0) {
        if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(p)) return false;
        groups += 2;
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(p)) groups += 1;
      else return false;
    }
  }
  // Compressed forms need two groups, so "::" and "a::" in prose (C++'s "std::") are not addresses.
  return halves.length === 2 ? groups >= 2 && groups <= 7 : groups === 8;
}

module.exports = { maskAddresses: maskAddresses };
