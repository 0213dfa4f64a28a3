# Varnish 7 in front of one or more dashboard instances (docs/PRODUCTION.md).
#
# The dashboard decides what is cached and for how long; this file only
#   - gives every view one cache key (query parameters sorted; no cookies),
#   - keeps client-side navigations (RSC) out of the cache,
#   - serves the last good copy while the dashboard refreshes it (stale-while-revalidate)
#     and, when the dashboard fails or is down, for up to a day (stale-if-error=86400).
# Varnish's built-in logic already takes the TTL from Cache-Control: s-maxage, and stores
# nothing marked private or no-store. It appends the client's address to X-Forwarded-For:
# run the dashboard with TRUST_PROXY=1 so its rate limit sees clients, not Varnish.
vcl 4.1;

import std;
import directors;

# One dashboard; for several, add backends and list them in vcl_init below.
backend dashboard1 {
    .host = "127.0.0.1";
    .port = "3000";
    .connect_timeout = 2s;
    .first_byte_timeout = 20s;
    .between_bytes_timeout = 10s;
    .probe = {
        .url = "/icon.svg";
        .interval = 5s;
        .timeout = 2s;
        .window = 5;
        .threshold = 3;
    }
}

sub vcl_init {
    new dashboards = directors.round_robin();
    dashboards.add_backend(dashboard1);
}

sub vcl_recv {
    set req.backend_hint = dashboards.backend();
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Per-visitor client-side navigations.
    if (req.http.RSC || req.url ~ "[?&]_rsc=") {
        return (pass);
    }
    set req.url = std.querysort(req.url);
    unset req.http.Cookie;
    unset req.http.Authorization;
    # Stale copies: as long as stale-while-revalidate says while the dashboards are healthy,
    # up to the full grace below (a day) while none is.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 300s;
    }
    return (hash);
}

sub vcl_backend_response {
    # Keep every object a day past its TTL for stale-if-error; req.grace above decides how much
    # of that a healthy site may use.
    if (beresp.ttl > 0s) {
        set beresp.grace = 24h;
    }
    # A failed background refresh must not replace the good copy.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_backend_error {
    if (bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
