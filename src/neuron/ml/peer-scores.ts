/** Importance is a running mean over evaluations: each new ablation counts this much. */
export const IMPORTANCE_RATE = 0.5;

/**
 * A peer that answered none of an evaluation's batches (it timed out, refused or is gone) is worth nothing to
 * us then: its importance moves this far towards zero, so a dead peer's score falls to a sixteenth within two
 * evaluations, and its weight to the exploration floor a junk peer gets. It rises again once it answers.
 */
export const SILENT_RATE = 0.75;

/**
 * What each peer is worth to this neuron: the running mean of its ablation (how much the validation loss rises
 * when it is masked out), by uid. The weights a neuron sets come from these scores (weights.ts).
 */
export class PeerScores {
  private readonly importance = new Map<number, number>();

  /**
   * Folds one evaluation in: `asked` are the peers it asked, `ablation` the loss rise of each that answered at
   * least once; an asked peer missing from it was silent.
   */
  update(asked: readonly number[], ablation: ReadonlyMap<number, number>): void {
    for (const uid of asked) {
      const rise = ablation.get(uid);
      const old = this.importance.get(uid);
      if (rise === undefined) {
        if (old !== undefined) this.importance.set(uid, old * (1 - SILENT_RATE));
      } else {
        this.importance.set(uid, old === undefined ? rise : old * (1 - IMPORTANCE_RATE) + rise * IMPORTANCE_RATE);
      }
    }
  }

  /** A peer's score (0 before it was measured). */
  of(uid: number): number {
    return this.importance.get(uid) ?? 0;
  }

  /** Every score as [uid, importance] pairs (the checkpoint keeps them). */
  entries(): Array<[number, number]> {
    return [...this.importance];
  }

  /** Scores read back from a checkpoint. */
  restore(entries: ReadonlyArray<[number, number]>): void {
    for (const [uid, v] of entries) this.importance.set(uid, v);
  }
}
