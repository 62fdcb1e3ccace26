import { z } from 'zod';

/**
 * What `neuron train` prints on stdout, one JSON object per line: the protocol `localnet` and the embedded
 * network read from their child neurons. One schema for the writer's types and the readers' checks.
 */
const finite = z.number();
const nullableLoss = z.number().nullable();
const peerScore = z.object({ uid: z.int().min(0), gate: finite, importance: finite });

export const TrainLineSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    uid: z.int().min(0),
    hotkey: z.string(),
    peerId: z.string(),
    multiaddrs: z.array(z.string()),
    role: z.enum(['train', 'pretrained', 'junk']),
    backend: z.object({
      name: z.string(),
      device: z.string(),
      stepMs: z.number().optional(),
      passedOver: z.array(z.string()).optional(),
    }),
  }),
  z.object({
    type: z.literal('step'),
    t: finite,
    step: z.int().min(0),
    loss: finite,
    lossStudent: finite,
    lossSolo: nullableLoss,
    tokensPerSecond: finite,
    asked: z.int().min(0),
    answered: z.int().min(0),
    remoteApplied: z.int().min(0),
    remoteDropped: z.int().min(0),
  }),
  z.object({
    type: z.literal('eval'),
    t: finite,
    step: z.int().min(0),
    valLoss: finite,
    valLossStudent: finite,
    valLossSolo: nullableLoss,
    peers: z.array(peerScore),
  }),
  z.object({
    type: z.literal('weights'),
    t: finite,
    block: z.int().min(0),
    weights: z.array(z.tuple([z.int().min(0), finite])),
  }),
  z.object({
    type: z.literal('final'),
    t: finite,
    uid: z.int().min(0),
    junk: z.boolean(),
    steps: z.int().min(0),
    valLoss: nullableLoss,
    valLossStudent: nullableLoss,
    valLossSolo: nullableLoss,
    peers: z.array(peerScore),
    weightsBlock: z.int().min(0).nullable(),
  }),
]);

/** One line of `neuron train`'s output. */
export type TrainLine = z.infer<typeof TrainLineSchema>;
