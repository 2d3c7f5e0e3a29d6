/**
 * GhostNet Lab model API (tfjs-core only; no DOM, no Node built-ins). The page or the CLI
 * registers a tfjs backend first.
 *
 *   const model = await load('/weights/ghostnet-fmnist/model.json');
 *   const { top } = await model.predict(rgbaImage);
 *   const { taps, dispose } = model.inspect(x, ['blocks.3.0.ghost1.intrinsic']);
 */
export {
  GhostNetModel,
  load,
  fromArtifacts,
  fromCheckpoint,
  createModel,
  calibrateBatchNorm,
  type LoadOptions,
  type ModelInput,
  type Prediction,
  type TopK,
  type InspectResult,
} from './model.js';
export {
  ARCH_IDS,
  ConfigError,
  makeDivisible,
  resolveConfig,
  validateConfig,
  type ConfigOverrides,
  type GhostNetConfig,
  type PreprocessConfig,
  type StageRow,
} from './config.js';
export { buildSpec, forward } from './ghostnet.js';
export { costReport, describeLayers, ghostnetCost, tapNames, type GhostLayerInfo, type LayerInfo } from './layers.js';
export type { CostReport, LayerCost } from './cost-types.js';
export { ghostSource, type CheapKernels } from './cheap-operation.js';
export { explainGatePixel, explainGhostPixel, explainIntrinsicPixel, type ConvTerm, type GatePixelExplanation, type GhostPixelExplanation, type HwcMaps, type IntrinsicPixelExplanation } from './explain.js';
export { nearestIndices, nativeResizeMatches, upsampleNearest, upsampleNearestGather } from './dfc-attention.js';
export { hardSigmoid } from './squeeze-excite.js';
export { foldWeights } from './fold.js';
export { foldedOps, unfoldedOps, BN_EPS, type Ops, type TapFn } from './ops.js';
export { canonicalKey, checkKeys, guessArch, mapCheckpoint, KeyMismatchError, type CheckpointTensor, type KeyProblems } from './key-map.js';
export {
  decodeWeights,
  encodeWeights,
  checkModelJson,
  fromHalf,
  toHalf,
  ManifestError,
  MAX_SHARD_BYTES,
  type ModelJson,
  type GhostlabMeta,
  type ManifestEntry,
  type WeightsManifestGroup,
} from './manifest.js';
export {
  preprocessImage,
  preprocessBatch,
  preprocessGray,
  normalizePixels,
  resizeBilinear,
  toChannels,
  type RgbaImage,
  type PreprocessOptions,
} from './preprocess.js';
export {
  countParams,
  paramEntries,
  ptToTf,
  tfToPt,
  randomWeights,
  type ParamEntry,
  type WeightSet,
  type WeightTensor,
} from './weights.js';
export { ghostModules, type NetSpec, type BottleneckSpec, type GhostModuleSpec, type DfcAttentionSpec, type SqueezeExciteSpec, type ConvSpec, type ConvBnSpec } from './spec.js';
export { cosineSimilarity, ghostResemblance, type GhostResemblance } from './resemblance.js';
export { knockOut, type Knockout, type KnockoutMode } from './knockout.js';
