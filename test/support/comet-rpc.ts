/** A CometBFT node's latest block height, from its RPC's /status (plain fetch: usable from support scripts). */
export async function cometHeight(rpc: string): Promise<number> {
  const answer = (await (await fetch(`${rpc}/status`)).json()) as {
    result: { sync_info: { latest_block_height: string } };
  };
  return Number(answer.result.sync_info.latest_block_height);
}
