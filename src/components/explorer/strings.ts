/**
 * The network explorer's words, in English and Chinese. `{name}` placeholders are filled by
 * calc/controls.ts `fill`. Network-specific notes say which layers become Ghost modules and, where
 * the paper prints a row, why its count and ours may differ (see src/model/reference-nets.ts).
 */
import type { ExplorerNet } from '../../model/ghostify';

export interface NetWords {
  /** The option in the network picker. */
  option: string;
  /** The plain and the Ghost net as the paper names them. */
  plainName: string;
  ghostName: string;
  /** Which layers become Ghost modules. */
  rule: string;
}

export interface ExplorerWords {
  title: string;
  net: string;
  s: string;
  d: string;
  metric: string;
  macs: string;
  params: string;
  nets: Record<ExplorerNet, NetWords>;
  sOutside: string;
  dOutside: string;
  loading: string;
  failed: string;
  chartAria: string;
  yMacs: string;
  yParams: string;
  legendPlain: string;
  legendGhost: string;
  legendUnchanged: string;
  optionReplaced: string;
  optionKept: string;
  kinds: Record<string, string>;
  detailsTitle: string;
  geometry: string;
  costLine: string;
  ownRs: string;
  keptLayer: string;
  hintLoad: string;
  hintNoCalc: string;
  loaded: string;
  toCalculator: string;
  colModel: string;
  colParams: string;
  colMacs: string;
  colAccuracy: string;
  rowPlain: string;
  rowGhost: string;
  rowConvOnly: string;
  rowPaper: string;
  matches: string;
  differs: string;
  reduction: string;
  noPaperRow: string;
  noPaperAtAll: string;
  explain: Partial<Record<ExplorerNet | 'vgg16_cifar_convonly', string>>;
  ghostnetOther: string;
  fmnistNote: string;
  netUnknown: string;
  matchesConvOnly: string;
  paperRowS: string;
  paperRowSD: string;
  caption: string;
}

export const EXPLORER_STRINGS: Record<'en' | 'zh', ExplorerWords> = {
  en: {
    title: 'Ghost-ify a whole network',
    net: 'Network',
    s: 'ratio: each intrinsic map yields s−1 ghost maps',
    d: 'kernel of the cheap operation (d×d depthwise)',
    metric: 'Show per layer',
    macs: 'MACs (FLOPs)',
    params: 'parameters',
    nets: {
      vgg16_cifar: { option: 'VGG-16 (CIFAR-10)', plainName: 'VGG-16', ghostName: 'Ghost-VGG-16', rule: 'Every one of the 13 convolutions becomes a Ghost module, the first one included; the classifier’s two linear layers stay.' },
      resnet56_cifar: { option: 'ResNet-56 (CIFAR-10)', plainName: 'ResNet-56', ghostName: 'Ghost-ResNet-56', rule: 'Every convolution becomes a Ghost module, the first one included; the shortcuts have no weights (they subsample and pad with zeros) and the final linear layer stays.' },
      resnet50: { option: 'ResNet-50 (ImageNet)', plainName: 'ResNet-50', ghostName: 'Ghost-ResNet-50', rule: 'Every convolution except the first 7×7 one becomes a Ghost module (the authors’ recipe, Efficient-AI-Backbones #34), the 1×1 downsampling shortcuts included; the classifier stays.' },
      ghostnet_100: { option: 'GhostNet 1.0× (ImageNet): its own Ghost modules', plainName: 'plain twin', ghostName: 'GhostNet 1.0×', rule: 'GhostNet’s own Ghost modules (two per bottleneck) take the s and d chosen here; the stem, the depthwise convolutions, SE, the shortcuts and the head stay. The “plain” bars are its twin with one ordinary convolution (1×1) per module.' },
      'ghostnet-fmnist': { option: 'GhostNet for Fashion-MNIST (this course’s net)', plainName: 'plain twin', ghostName: 'GhostNet (Fashion-MNIST)', rule: 'The compact net this course trains on 28×28 Fashion-MNIST images: its Ghost modules take the s and d chosen here; the rest stays. The “plain” bars are its twin with one ordinary convolution per module (the lab’s plainnet-fmnist).' },
    },
    sOutside: 'The page’s s = {given} is outside this explorer’s range (2–5): it shows s = {used}. Move its slider to use that value everywhere.',
    dOutside: 'The page’s d = {given} is not one of 1, 3, 5, 7: the explorer shows d = {used}. Move its slider to use that value everywhere.',
    loading: 'Counting {net}…',
    failed: 'Could not count this network: {message}',
    chartAria: '{net}: {metric} of each layer, plain and Ghost-ified with s = {s}, d = {d}. Arrow keys move between layers; Enter loads a layer into the speed-up calculator.',
    yMacs: 'MACs',
    yParams: 'params',
    legendPlain: 'plain layer',
    legendGhost: 'its Ghost module',
    legendUnchanged: 'layer that stays as it is',
    optionReplaced: '{name}: {plain} plain, {ghost} as a Ghost module, speed-up {rs}×',
    optionKept: '{name}: {plain}, stays',
    kinds: { conv: 'convolution', dwconv: 'depthwise convolution', linear: 'linear layer', 'linear+bn': 'linear layer + BatchNorm', 'squeeze-excite': 'squeeze-and-excitation', shortcut: 'shortcut (depthwise + 1×1 conv)' },
    detailsTitle: 'Layer',
    geometry: 'c = {c} input channels, n = {n} outputs, k = {k} ({k}×{k} kernel, stride {stride}), output h′ × w′ = {h} × {w}',
    costLine: 'MACs {pm} → {gm}; parameters {pp} → {gp}',
    ownRs: 'its own speed-up r_s = {rs}× (s = {s}, d = {d})',
    keptLayer: 'Not replaced: {macs} MACs, {params} parameters in both versions.',
    hintLoad: 'Click the layer (or press Enter) to load c, n, k, h′, w′ into the speed-up calculator.',
    hintNoCalc: '',
    loaded: 'Loaded {name} into the speed-up calculator: c = {c}, n = {n}, k = {k}, h′ = {h}, w′ = {w} at s = {s}, d = {d}.',
    toCalculator: 'Go to the calculator',
    colModel: 'model',
    colParams: 'parameters',
    colMacs: 'MACs (FLOPs)',
    colAccuracy: 'accuracy (%)',
    rowPlain: '{name}, counted here',
    rowGhost: '{name}, s = {s}, d = {d}, counted here',
    rowConvOnly: '{name}, convolutions only (the paper’s count)',
    rowPaper: 'paper: {name}',
    matches: '= ours',
    differs: 'ours {ours}',
    reduction: 'Ghost-ified: {rp}× fewer parameters and {rm}× fewer MACs than the plain net.',
    noPaperRow: 'The paper has no {name} row for s = {s}, d = {d}; it reports {rows}.',
    noPaperAtAll: 'The paper reports no numbers for this net.',
    explain: {
      vgg16_cifar_convonly: 'Why two MAC counts: the paper’s FLOPs for VGG-16 and Ghost-VGG-16 count the convolutions only. The total here, like <code>ghostlab cost</code>, also counts the classifier’s two linear layers ({linear} MACs), so at d = 7 or s = 5 it prints one million higher than the paper; the convolutions alone give the paper’s number.',
      resnet56_cifar: 'At s = 2, d = 3 this count gives {ours}; the paper prints 0.43 M / 63 M. Its numbers come out with d = 1 ({d1}) or when the cheap operation is left out of the count; the paper does not say which.',
      resnet50: 'The MACs match the paper; the parameters do not ({ours} here). The classifier, a plain Linear(2048, 1000), alone holds {fc} parameters; the paper’s values are close to 25.6 M ÷ s, as if the classifier were compressed as well, but even a Ghost-ified classifier does not give them. The paper’s description does not pin this down.',
      ghostnet_100: 'At s = 2, d = 3 this is GhostNet 1.0× itself, as in the paper’s ImageNet table.',
    },
    ghostnetOther: 'The paper trains GhostNet at s = 2, d = 3 only; other values show what the same net would cost. Its modules have 1×1 primary convolutions while d = {d}, so their own <var>r</var><sub>s</sub> stay well below s (see “When the approximation fails: GhostNet’s own modules”).',
    fmnistNote: 'Its modules have 1×1 primary convolutions as well, so their own <var>r</var><sub>s</sub> stay below s. The lab runs this net trained at each s and d.',
    netUnknown: '“{given}” is not a network of this explorer: it shows {used}.',
    matchesConvOnly: '= ours, convolutions only',
    paperRowS: '{name} (s = {s})',
    paperRowSD: '{name} (s = {s}, d = {d})',
    caption: 'Each band is one layer with weights, in forward order: the wide pale bar is the plain layer, the narrow bar in front its Ghost version. Point at a layer (or focus the chart and use the arrow keys) to see its c, n, k, h′, w′ and its own <var>r</var><sub>s</sub>; click it (or press Enter) to load it into the speed-up calculator. All counts come from the same cost model as <code>ghostlab cost</code>.',
  },
  zh: {
    title: '把整个网络 Ghost 化',
    net: '网络',
    s: '比例：每张本征特征图生成 s−1 张幻影特征图',
    d: '廉价操作的卷积核（d×d 深度卷积）',
    metric: '逐层显示',
    macs: 'MACs（FLOPs）',
    params: '参数量',
    nets: {
      vgg16_cifar: { option: 'VGG-16（CIFAR-10）', plainName: 'VGG-16', ghostName: 'Ghost-VGG-16', rule: '全部 13 个卷积（包括第一个）都换成 Ghost 模块；分类器的两个全连接层保持不变。' },
      resnet56_cifar: { option: 'ResNet-56（CIFAR-10）', plainName: 'ResNet-56', ghostName: 'Ghost-ResNet-56', rule: '每个卷积（包括第一个）都换成 Ghost 模块；捷径没有权重（只做下采样并补零），最后的全连接层保持不变。' },
      resnet50: { option: 'ResNet-50（ImageNet）', plainName: 'ResNet-50', ghostName: 'Ghost-ResNet-50', rule: '除第一个 7×7 卷积外，每个卷积都换成 Ghost 模块（作者的做法，见 Efficient-AI-Backbones #34），包括 1×1 下采样捷径；分类器保持不变。' },
      ghostnet_100: { option: 'GhostNet 1.0×（ImageNet）：它自己的 Ghost 模块', plainName: '普通孪生网络', ghostName: 'GhostNet 1.0×', rule: 'GhostNet 自己的 Ghost 模块（每个瓶颈两个）采用这里选定的 s 和 d；主干卷积、深度卷积、SE、捷径和头部保持不变。“普通”柱是它的孪生网络：每个模块换成一个普通卷积（1×1）。' },
      'ghostnet-fmnist': { option: 'Fashion-MNIST 上的 GhostNet（本课程的网络）', plainName: '普通孪生网络', ghostName: 'GhostNet（Fashion-MNIST）', rule: '本课程在 28×28 的 Fashion-MNIST 图像上训练的小网络：它的 Ghost 模块采用这里选定的 s 和 d，其余保持不变。“普通”柱是它的孪生网络：每个模块换成一个普通卷积（即实验室中的 plainnet-fmnist）。' },
    },
    sOutside: '页面上的 s = {given} 超出了本图的范围（2–5）：这里显示 s = {used}。移动本图的滑块即可让所有控件都用这个值。',
    dOutside: '页面上的 d = {given} 不是 1、3、5、7 之一：这里显示 d = {used}。移动本图的滑块即可让所有控件都用这个值。',
    loading: '正在计算 {net}……',
    failed: '无法计算这个网络：{message}',
    chartAria: '{net}：每层的{metric}，普通版与 Ghost 化版（s = {s}，d = {d}）。方向键在各层之间移动，回车键把该层载入加速比计算器。',
    yMacs: 'MACs',
    yParams: '参数量',
    legendPlain: '普通层',
    legendGhost: '对应的 Ghost 模块',
    legendUnchanged: '保持不变的层',
    optionReplaced: '{name}：普通 {plain}，Ghost 模块 {ghost}，加速比 {rs}×',
    optionKept: '{name}：{plain}，保持不变',
    kinds: { conv: '卷积', dwconv: '深度卷积', linear: '全连接层', 'linear+bn': '全连接层 + BatchNorm', 'squeeze-excite': '挤压-激励（SE）', shortcut: '捷径（深度卷积 + 1×1 卷积）' },
    detailsTitle: '层',
    geometry: 'c = {c} 个输入通道，n = {n} 个输出通道，k = {k}（{k}×{k} 卷积核，步长 {stride}），输出 h′ × w′ = {h} × {w}',
    costLine: 'MACs {pm} → {gm}；参数量 {pp} → {gp}',
    ownRs: '该层自己的加速比 r_s = {rs}×（s = {s}，d = {d}）',
    keptLayer: '不替换：两个版本中都是 {macs} MACs、{params} 个参数。',
    hintLoad: '点击该层（或按回车键），把 c、n、k、h′、w′ 载入加速比计算器。',
    hintNoCalc: '',
    loaded: '已把 {name} 载入加速比计算器：c = {c}，n = {n}，k = {k}，h′ = {h}，w′ = {w}，s = {s}，d = {d}。',
    toCalculator: '前往计算器',
    colModel: '模型',
    colParams: '参数量',
    colMacs: 'MACs（FLOPs）',
    colAccuracy: '准确率（%）',
    rowPlain: '{name}，本页计数',
    rowGhost: '{name}，s = {s}，d = {d}，本页计数',
    rowConvOnly: '{name}，只计卷积（论文的计法）',
    rowPaper: '论文：{name}',
    matches: '= 本页',
    differs: '本页 {ours}',
    reduction: 'Ghost 化之后：参数量减少到 1/{rp}，MACs 减少到 1/{rm}。',
    noPaperRow: '论文没有 s = {s}、d = {d} 的 {name} 数据；它给出的是 {rows}。',
    noPaperAtAll: '论文没有给出这个网络的数字。',
    explain: {
      vgg16_cifar_convonly: '为什么有两个 MACs：论文中 VGG-16 和 Ghost-VGG-16 的 FLOPs 只计卷积。这里的总数与 <code>ghostlab cost</code> 一样，还计入了分类器的两个全连接层（{linear} MACs），所以在 d = 7 或 s = 5 时比论文多出一百万；只计卷积就得到论文的数字。',
      resnet56_cifar: '在 s = 2、d = 3 时这里得到 {ours}，论文给出的是 0.43 M / 63 M。用 d = 1（{d1}）或者不计廉价操作都能得到论文的数字；论文没有说明是哪一种。',
      resnet50: 'MACs 与论文一致，参数量不一致（这里是 {ours}）。分类器是一个普通的 Linear(2048, 1000)，单是它就有 {fc} 个参数；论文的数值接近 25.6 M ÷ s，好像分类器也被压缩了，但即使把分类器也 Ghost 化也得不到这些数。论文的描述不足以确定原因。',
      ghostnet_100: '在 s = 2、d = 3 时，这就是 GhostNet 1.0× 本身，与论文的 ImageNet 表格一致。',
    },
    ghostnetOther: '论文只在 s = 2、d = 3 下训练 GhostNet；其他取值只显示同一网络的计算量。它的模块用 1×1 主卷积而 d = {d}，所以各层自己的 <var>r</var><sub>s</sub> 远低于 s（见“近似失效时：GhostNet 自身的模块”）。',
    fmnistNote: '它的模块同样用 1×1 主卷积，所以各层自己的 <var>r</var><sub>s</sub> 低于 s。实验室里可以运行在每个 s、d 下训练好的这个网络。',
    netUnknown: '“{given}”不是本图中的网络：这里显示 {used}。',
    matchesConvOnly: '= 本页（只计卷积）',
    paperRowS: '{name}（s = {s}）',
    paperRowSD: '{name}（s = {s}，d = {d}）',
    caption: '每条竖带是一个有权重的层，按前向顺序排列：宽的浅色柱是普通层，前面窄的柱是它的 Ghost 版本。指向某一层（或聚焦图表后用方向键）查看它的 c、n、k、h′、w′ 和它自己的 <var>r</var><sub>s</sub>；点击（或按回车键）把它载入加速比计算器。所有计数都来自与 <code>ghostlab cost</code> 相同的代价模型。',
  },
};
