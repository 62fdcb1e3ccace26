/** What the machine is doing for the network: shown in the tray and on the Overview. */
export type ContributionStateName = 'contributing' | 'throttled' | 'paused' | 'waiting';
