import type { Checkpoint, TrainingConfig, TrainingData } from '../shared/training.js';
import { CheckpointDamagedError, loadCheckpoint, saveCheckpoint } from './ml/checkpoint.js';
import { brownCorpus, sliceFor, textFolder } from './ml/corpus.js';
import { tokenizeSlice } from './ml/tokenize.js';

/**
 * The training worker's files, kept by its host: the text it trains on (read and tokenized here, then handed to
 * the worker) and its checkpoints (handed to the worker at start, written here when it sends them). The worker
 * touches no file, so that it runs in a browser Worker as in a worker thread.
 */
export interface TrainingStore {
  /** The slice of text `config` names, tokenized. */
  data(config: TrainingConfig): Promise<TrainingData>;
  /** The checkpoint in `file`; undefined when there is none. Throws CheckpointDamagedError when unreadable. */
  loadCheckpoint(file: string): Promise<Checkpoint | undefined>;
  /** Writes a checkpoint atomically (the previous one stays whole if this fails). */
  saveCheckpoint(file: string, checkpoint: Checkpoint): Promise<void>;
}

/** Lets the event loop run (serving, the network) between the files being tokenized. */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The store on the local disk: the bundled Brown corpus or config.textDir, and checkpoint files. */
export const fileStore: TrainingStore = {
  async data(config) {
    const files = config.textDir ? await textFolder(config.textDir) : await brownCorpus();
    const slice = sliceFor(files, config.slice.index, config.slice.count);
    return { ...(await tokenizeSlice(slice, pause)), genres: slice.genres };
  },
  loadCheckpoint,
  saveCheckpoint,
};

export { CheckpointDamagedError };
