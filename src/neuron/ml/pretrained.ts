import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { oneLine, UserError } from '../../shared/errors.js';
import { tf } from './tf.js';
import type { Encoder, PretrainedEncoderConfig } from './encoders.js';

/**
 * A neuron that serves a pretrained TF.js layers model from a local folder without training it, as the seeds'
 * Elmo and Universal Sentence Encoder neurons did. The model takes GPT-2 token ids [batch, seq] (int32) and
 * returns [batch, seq, dim]. Nothing is downloaded: the folder holds model.json and its weight files.
 */
export class PretrainedEncoder implements Encoder {
  readonly kind = 'pretrained';
  readonly trainable = false;
  readonly variables: readonly tf.Variable[] = [];

  private constructor(
    private readonly model: tf.LayersModel,
    private readonly cfg: PretrainedEncoderConfig,
  ) {}

  get dim(): number {
    return this.cfg.dim;
  }

  /** Loads the model in `path`; one line when the folder holds no usable model or its output is not [b, s, dim]. */
  static async load(path: string): Promise<PretrainedEncoder> {
    let model: tf.LayersModel;
    try {
      model = await tf.loadLayersModel(folderHandler(path));
    } catch (error) {
      throw new UserError(`--model ${path}: not a TF.js layers model (${oneLine(error)})`);
    }
    const shape = model.outputs[0]?.shape ?? [];
    const dim = shape[2];
    if (shape.length !== 3 || typeof dim !== 'number') {
      model.dispose();
      throw new UserError(`--model ${path}: its output must be [batch, seq, dim], not [${shape.join(', ')}]`);
    }
    return new PretrainedEncoder(model, { kind: 'pretrained', dim, path });
  }

  apply(ids: tf.Tensor2D): tf.Tensor3D {
    return this.model.apply(tf.cast(ids, 'float32')) as tf.Tensor3D;
  }

  readWeights(): Promise<Record<string, Float32Array>> {
    return Promise.resolve({});
  }

  writeWeights(): void {}

  config(): PretrainedEncoderConfig {
    return this.cfg;
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** A tf.io handler that reads and writes a model folder with node:fs (model.json + weights.bin). */
export function folderHandler(dir: string): tf.io.IOHandler {
  return {
    async load() {
      const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) buffers.push(await readFile(join(dir, p)));
      }
      const all = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
      };
    },
    async save(artifacts) {
      await mkdir(dir, { recursive: true });
      const data = artifacts.weightData as ArrayBuffer;
      await writeFile(join(dir, 'weights.bin'), new Uint8Array(data));
      const json = {
        modelTopology: artifacts.modelTopology,
        format: 'layers-model',
        generatedBy: 'bittensor-miner',
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    },
  };
}
