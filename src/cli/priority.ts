import { constants, getPriority, setPriority } from 'node:os';

/**
 * Lowers this process's CPU priority to below normal (nice 10 on Linux and macOS, BELOW_NORMAL on Windows), so
 * that a process sharing the machine yields the CPU to everything else, its start (tokenizing, the backend's
 * self-test) included. Returns the priority the OS reports afterwards, or why it could not be lowered.
 */
export function lowerPriority(): { priority: number } | { error: string } {
  try {
    const below = constants.priority.PRIORITY_BELOW_NORMAL;
    // Never raises it: a process started at a lower priority keeps it.
    if (getPriority() < below) setPriority(below);
    return { priority: getPriority() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
