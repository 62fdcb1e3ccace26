/**
 * Set to "1" in the environment of a child process by a parent that holds a pipe to its standard input: the end
 * of that input then stops the child as SIGTERM would (the CLI's onStopSignal), so that a parent that dies
 * (kill -9, a crash, the OOM killer) leaves none of its children running, each holding its ports and data folder.
 */
export const STOP_WITH_STDIN = 'BT_STOP_WITH_STDIN';
