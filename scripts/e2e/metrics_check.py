"""GET /metrics must be valid Prometheus text (parsed by prometheus_client's own parser) and its
counters must move exactly as much as known traffic moved them.

usage: python metrics_check.py SUPERVISOR_ADDRESS ADMIN_ADDRESS
"""

import json
import sys
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families


def scrape(admin):
    text = urllib.request.urlopen(f"http://{admin}/metrics", timeout=10).read().decode()
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


# The demo supervisor.json protects tenant globex with an API key (README "Demo").
API_KEYS = {"globex": "demo-globex-key"}


def tools_list(address, client_id):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}}}).encode()
    request = urllib.request.Request(f"http://{address}/mcp", data=body, headers={
        "Content-Type": "application/json", "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/list",
        "X-Client-ID": client_id, **({"Authorization": f"Bearer {API_KEYS[client_id]}"} if client_id in API_KEYS else {})})
    try:
        return urllib.request.urlopen(request, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def main(address, admin):
    before = scrape(admin)
    statuses = [tools_list(address, "acme") for _ in range(5)] + [tools_list(address, "globex") for _ in range(3)]
    statuses += [tools_list(address, "initech") for _ in range(2)]
    assert statuses == [200] * 8 + [403] * 2, statuses
    after = scrape(admin)

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    checks = {
        "acme 2xx +5": delta("oneapp_mcp_requests_total", client_id="acme", **{"class": "2xx"}) == 5,
        "globex 2xx +3": delta("oneapp_mcp_requests_total", client_id="globex", **{"class": "2xx"}) == 3,
        "UNKNOWN_CLIENT +2": delta("oneapp_mcp_rejected_requests_total", code="UNKNOWN_CLIENT") == 2,
        "acme latency count +5": delta("oneapp_mcp_request_duration_seconds_count", client_id="acme") == 5,
        "acme +Inf bucket +5": delta("oneapp_mcp_request_duration_seconds_bucket", client_id="acme", le="+Inf") == 5,
        "no per-tenant series for initech": not any(dict(labels).get("client_id") == "initech" for _, labels in after),
        "live workers >= 2": value(after, "oneapp_mcp_live_workers") >= 2,
        "nothing in flight": value(after, "oneapp_mcp_requests_in_flight", client_id="acme") == 0,
    }
    for label, ok in checks.items():
        print(f"{'ok' if ok else 'FAIL'}: metrics: {label}")
    if not all(checks.values()):
        raise SystemExit(1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
