"""The fastmcp peer (fastmcp 4.2.3, stateless JSON mode), for scripts/bench/e2e.sh. It serves the
same 18 tools as oneapp-mcp: their wire definitions (names, input schemas, annotations) come from
our own tools/list in BENCH_TOOLS, registered as Tool objects with exactly those schemas. Only
core_list_zonas does work, the same GET to the sandbox as our worker (one long-lived httpx client
per process). Run: uvicorn peer_fastmcp:app (BENCH_TOOLS, BENCH_UPSTREAM, BENCH_AUTHORIZATION,
BENCH_CLIENT)."""
import json
import os

import httpx
from fastmcp import FastMCP
from fastmcp.tools import Tool, ToolResult
from mcp_types import TextContent, ToolAnnotations

UPSTREAM = httpx.AsyncClient(
    base_url=os.environ["BENCH_UPSTREAM"],
    headers={"Content-Type": "application/json", "Authorization": os.environ["BENCH_AUTHORIZATION"],
             "client": os.environ["BENCH_CLIENT"]},
)


class OneAppTool(Tool):
    async def run(self, arguments):
        if self.name != "core_list_zonas":
            return ToolResult(content=[TextContent(text=f"{self.name}: not in this peer")], is_error=True)
        query = {"zone_id": arguments["zone_id"]} if arguments.get("zone_id") is not None else None
        answer = await UPSTREAM.get("/core/zonas", params=query)
        data = answer.json()
        return ToolResult(content=[TextContent(text=json.dumps(data, indent=2, ensure_ascii=False))],
                          structured_content=data if isinstance(data, dict) else None)


server = FastMCP("oneapp-peer-fastmcp")
for tool in json.load(open(os.environ["BENCH_TOOLS"])):
    server.add_tool(OneAppTool(name=tool["name"], title=tool.get("title"), description=tool.get("description"),
                               parameters=tool["inputSchema"],
                               annotations=ToolAnnotations.model_validate(tool["annotations"]) if "annotations" in tool else None))
app = server.http_app(path="/mcp", stateless_http=True, json_response=True)
