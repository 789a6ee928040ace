"""The official MCP Python SDK peer (mcp==2.3.0, low-level Server, stateless JSON mode), for
scripts/bench/e2e.sh. It serves the same 18 tools as oneapp-mcp: their wire definitions (names,
input schemas, annotations) come from our own tools/list in BENCH_TOOLS. Only core_list_zonas
does work, the same GET to the sandbox as our worker (one long-lived httpx client per process).
Run: uvicorn peer_mcp_sdk:app (BENCH_TOOLS, BENCH_UPSTREAM, BENCH_AUTHORIZATION, BENCH_CLIENT)."""
import json
import os

import httpx
import mcp_types as types
from mcp.server import Server

TOOLS = [types.Tool.model_validate(tool) for tool in json.load(open(os.environ["BENCH_TOOLS"]))]
UPSTREAM = httpx.AsyncClient(
    base_url=os.environ["BENCH_UPSTREAM"],
    headers={"Content-Type": "application/json", "Authorization": os.environ["BENCH_AUTHORIZATION"],
             "client": os.environ["BENCH_CLIENT"]},
)


async def list_tools(ctx, params):
    return types.ListToolsResult(tools=TOOLS)


async def call_tool(ctx, params):
    if params.name != "core_list_zonas":
        return types.CallToolResult(content=[types.TextContent(text=f"{params.name}: not in this peer")], is_error=True)
    query = {"zone_id": params.arguments["zone_id"]} if (params.arguments or {}).get("zone_id") is not None else None
    answer = await UPSTREAM.get("/core/zonas", params=query)
    data = answer.json()
    return types.CallToolResult(content=[types.TextContent(text=json.dumps(data, indent=2, ensure_ascii=False))],
                                structured_content=data if isinstance(data, dict) else None)


app = Server("oneapp-peer-mcp-sdk", on_list_tools=list_tools, on_call_tool=call_tool).streamable_http_app(
    stateless_http=True, json_response=True)
