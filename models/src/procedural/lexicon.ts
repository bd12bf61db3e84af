/**
 * The words the procedural model understands: scenes and colours that set
 * its palettes, and light and mood words that nudge its look. Every other
 * word still changes the picture, through its hash (see prompt-embedding.ts),
 * but only these steer it in a direction a person can predict.
 *
 * Scene palettes run from shadow to highlight (five stops). A scene word is
 * either a `sky` (sunset, night, aurora…) or a `ground` (ocean, forest,
 * desert…): a prompt naming one of each puts the sky's palette above the
 * horizon and the ground's below it, so "sunset over the ocean" reads as one.
 */

export type Rgb = readonly [number, number, number];
/** Five colours from shadow to highlight, each channel 0..1. */
export type Palette = readonly [Rgb, Rgb, Rgb, Rgb, Rgb];

/** The look's scalar controls; lexicon words add to them. */
export interface Look {
  /** Overall brightness multiplier. */
  exposure: number;
  /** Spread around mid grey. */
  contrast: number;
  /** 0 is grey, 1 the palette as written. */
  saturation: number;
  /** 0..1: how far the picture fades into its haze colour. */
  haze: number;
  /** 0..1: darkening of the frame's corners. */
  vignette: number;
  /** Brightness of the light source's glow (0 = none). */
  sun: number;
  /** 0..1: how much of the accent colour lights the field's crests. */
  accent: number;
  /** Spatial frequency of the field: above 1 is finer detail, below 1 broader shapes. */
  detail: number;
  /** How fast the field flows (1 = a slow drift). */
  motion: number;
  /** Gain inside the field's network: above 1 gives sharper, busier shapes. */
  turbulence: number;
}

export type LookDelta = Partial<Look>;

export interface SceneWord {
  palette: Palette;
  role: 'sky' | 'ground';
  look?: LookDelta;
  /** The colour of the scene's light source and accents. */
  light?: Rgb;
}

export interface ColourWord {
  tint: Rgb;
}

export interface MoodWord {
  look: LookDelta;
  /** A haze colour this word brings (mist is pale, smoke is grey). */
  hazeColour?: Rgb;
}

export const DEFAULT_LOOK: Look = {
  exposure: 1,
  contrast: 1,
  saturation: 1,
  haze: 0,
  vignette: 0.25,
  sun: 0.15,
  accent: 0.3,
  detail: 1,
  motion: 1,
  turbulence: 1,
};

/** Bounds each control is clamped to after the words are added up. */
export const LOOK_RANGE: Record<keyof Look, readonly [number, number]> = {
  exposure: [0.45, 1.6],
  contrast: [0.5, 1.8],
  saturation: [0, 1.8],
  haze: [0, 0.85],
  vignette: [0, 0.8],
  sun: [0, 1.5],
  accent: [0, 1],
  detail: [0.4, 2.5],
  motion: [0.1, 3],
  turbulence: [0.5, 2],
};

function hex(value: string): Rgb {
  const n = Number.parseInt(value.replace('#', ''), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

function palette(...stops: [string, string, string, string, string]): Palette {
  return stops.map(hex) as unknown as Palette;
}

const SUNSET: SceneWord = {
  palette: palette('#1b1035', '#5b1f4f', '#c2394a', '#f07b3f', '#ffd27f'),
  role: 'sky',
  look: { sun: 0.7, saturation: 0.1 },
  light: hex('#ffb35c'),
};
const DAWN: SceneWord = {
  palette: palette('#23264a', '#6a4c7d', '#e5899a', '#f9c18e', '#fff1d6'),
  role: 'sky',
  look: { sun: 0.6, exposure: 0.05 },
  light: hex('#ffd9a8'),
};
const DUSK: SceneWord = {
  palette: palette('#0f1633', '#2d2a5a', '#6b4b8a', '#c0739b', '#f2b6a0'),
  role: 'sky',
  look: { sun: 0.35, exposure: -0.1 },
  light: hex('#f5a98c'),
};
const GOLDEN: SceneWord = {
  palette: palette('#2a1a08', '#6b4513', '#b9822c', '#e8b957', '#fff0b8'),
  role: 'sky',
  look: { sun: 0.6 },
  light: hex('#ffe08a'),
};
const NIGHT: SceneWord = {
  palette: palette('#02030a', '#0a1028', '#1c2c55', '#3b5a8a', '#a9c1e8'),
  role: 'sky',
  look: { exposure: -0.15, sun: 0.25, accent: 0.2 },
  light: hex('#dce8ff'),
};
const SPACE: SceneWord = {
  palette: palette('#04020d', '#1e0b3b', '#5a1f74', '#c04f8f', '#ffc7d9'),
  role: 'sky',
  look: { accent: 0.35, detail: 0.3 },
  light: hex('#ffd6f0'),
};
const AURORA: SceneWord = {
  palette: palette('#020b14', '#0b3340', '#15a37a', '#6ff2a2', '#d8fff0'),
  role: 'sky',
  look: { accent: 0.4, saturation: 0.1 },
  light: hex('#b58cff'),
};
const STORM: SceneWord = {
  palette: palette('#0d0f14', '#262b35', '#4a5260', '#7d8794', '#c3cad3'),
  role: 'sky',
  look: { contrast: 0.1, motion: 0.4, turbulence: 0.15, accent: 0.2 },
  light: hex('#bfe0ff'),
};
const RAIN: SceneWord = {
  palette: palette('#141c24', '#2c3a47', '#4f6373', '#859aa8', '#c8d4dc'),
  role: 'sky',
  look: { saturation: -0.2, haze: 0.15 },
  light: hex('#d6e4ee'),
};
const OCEAN: SceneWord = {
  palette: palette('#03122b', '#0a3a5c', '#136f8a', '#3fb1b7', '#b6ece6'),
  role: 'ground',
  light: hex('#e6fbff'),
};
const UNDERWATER: SceneWord = {
  palette: palette('#011627', '#023e5a', '#05668d', '#02a9b8', '#94f2e8'),
  role: 'ground',
  look: { haze: 0.15, motion: 0.3 },
  light: hex('#c9fff6'),
};
const FOREST: SceneWord = {
  palette: palette('#0b1a10', '#1d3b1f', '#3f6b2f', '#86a849', '#d9e6a1'),
  role: 'ground',
  look: { detail: 0.25 },
  light: hex('#f4f0b0'),
};
const DESERT: SceneWord = {
  palette: palette('#2e1a0f', '#7a4a26', '#c98a4b', '#e9bf7f', '#fbe7c1'),
  role: 'ground',
  look: { detail: -0.25, exposure: 0.05 },
  light: hex('#fff0c8'),
};
const SNOW: SceneWord = {
  palette: palette('#1c2b3f', '#4a6a8a', '#8fb3cf', '#cfe3f0', '#f8fcff'),
  role: 'ground',
  look: { exposure: 0.1, saturation: -0.1 },
  light: hex('#ffffff'),
};
const FIRE: SceneWord = {
  palette: palette('#120303', '#5c0a05', '#b32b05', '#f26a0f', '#ffd23f'),
  role: 'ground',
  look: { motion: 0.3, turbulence: 0.3, accent: 0.3 },
  light: hex('#ffe07a'),
};
const NEON: SceneWord = {
  palette: palette('#0a0118', '#2a0a5e', '#ff2a8a', '#2de2e6', '#f6f7ff'),
  role: 'ground',
  look: { saturation: 0.25, contrast: 0.15, accent: 0.4 },
  light: hex('#ff4fd8'),
};
const CITY: SceneWord = {
  palette: palette('#0e0f14', '#2a2d3a', '#5b5f73', '#b08c5a', '#f0d9a8'),
  role: 'ground',
  look: { detail: 0.2 },
  light: hex('#ffd08a'),
};
const AUTUMN: SceneWord = {
  palette: palette('#1e0d06', '#5e2410', '#a84a1a', '#dd8a2e', '#f5cc73'),
  role: 'ground',
  light: hex('#ffd48a'),
};
const BLOSSOM: SceneWord = {
  palette: palette('#3b2340', '#8c4a7a', '#e08fb0', '#f7c6d6', '#fff4f2'),
  role: 'ground',
  look: { exposure: 0.05 },
  light: hex('#fff0f4'),
};
const PASTEL: SceneWord = {
  palette: palette('#7a8fb8', '#b8a8d9', '#f2b8d0', '#f9e1c2', '#fdfaf0'),
  role: 'ground',
  look: { contrast: -0.15 },
  light: hex('#ffffff'),
};
const NOIR: SceneWord = {
  palette: palette('#050505', '#2a2a2a', '#6e6e6e', '#b5b5b5', '#f2f2f2'),
  role: 'ground',
  look: { saturation: -1, contrast: 0.2, vignette: 0.2 },
  light: hex('#ffffff'),
};
const SEPIA: SceneWord = {
  palette: palette('#1f140b', '#52391f', '#8d6a43', '#c4a67a', '#efe0c2'),
  role: 'ground',
  look: { vignette: 0.15 },
  light: hex('#fff1d0'),
};

/** Scene words, by the form a prompt may use (plurals are looked up without their final s). */
export const SCENE_WORDS: Readonly<Record<string, SceneWord>> = {
  sunset: SUNSET,
  sundown: SUNSET,
  sunrise: DAWN,
  dawn: DAWN,
  morning: DAWN,
  dusk: DUSK,
  twilight: DUSK,
  evening: DUSK,
  golden: GOLDEN,
  gold: GOLDEN,
  night: NIGHT,
  midnight: NIGHT,
  moon: NIGHT,
  moonlight: NIGHT,
  moonlit: NIGHT,
  space: SPACE,
  galaxy: SPACE,
  nebula: SPACE,
  cosmic: SPACE,
  star: SPACE,
  starry: SPACE,
  aurora: AURORA,
  borealis: AURORA,
  storm: STORM,
  stormy: STORM,
  thunder: STORM,
  thunderstorm: STORM,
  lightning: STORM,
  rain: RAIN,
  rainy: RAIN,
  overcast: RAIN,
  ocean: OCEAN,
  sea: OCEAN,
  wave: OCEAN,
  beach: OCEAN,
  lake: OCEAN,
  river: OCEAN,
  water: OCEAN,
  underwater: UNDERWATER,
  reef: UNDERWATER,
  coral: UNDERWATER,
  forest: FOREST,
  jungle: FOREST,
  wood: FOREST,
  woods: FOREST,
  tree: FOREST,
  moss: FOREST,
  leaf: FOREST,
  leaves: FOREST,
  meadow: FOREST,
  grass: FOREST,
  desert: DESERT,
  sand: DESERT,
  dune: DESERT,
  canyon: DESERT,
  snow: SNOW,
  snowy: SNOW,
  ice: SNOW,
  icy: SNOW,
  winter: SNOW,
  arctic: SNOW,
  frost: SNOW,
  glacier: SNOW,
  fire: FIRE,
  flame: FIRE,
  lava: FIRE,
  volcano: FIRE,
  ember: FIRE,
  neon: NEON,
  cyberpunk: NEON,
  synthwave: NEON,
  vaporwave: NEON,
  city: CITY,
  urban: CITY,
  street: CITY,
  skyline: CITY,
  autumn: AUTUMN,
  fall: AUTUMN,
  blossom: BLOSSOM,
  cherry: BLOSSOM,
  spring: BLOSSOM,
  flower: BLOSSOM,
  pastel: PASTEL,
  candy: PASTEL,
  noir: NOIR,
  monochrome: NOIR,
  grayscale: NOIR,
  greyscale: NOIR,
  sepia: SEPIA,
  vintage: SEPIA,
};

/** Plain colour words tint the scene's palettes, or make the palette when no scene word is given. */
export const COLOUR_WORDS: Readonly<Record<string, ColourWord>> = {
  red: { tint: hex('#d23a2f') },
  crimson: { tint: hex('#b0173a') },
  orange: { tint: hex('#f0822a') },
  amber: { tint: hex('#f2a93b') },
  yellow: { tint: hex('#f2d43b') },
  green: { tint: hex('#3fa34d') },
  emerald: { tint: hex('#1f9e6e') },
  teal: { tint: hex('#1c9a9a') },
  turquoise: { tint: hex('#2ec4c0') },
  cyan: { tint: hex('#2bc8e0') },
  blue: { tint: hex('#2f6fd6') },
  indigo: { tint: hex('#3f3bb0') },
  purple: { tint: hex('#8a3fc2') },
  violet: { tint: hex('#9a5ad6') },
  magenta: { tint: hex('#d63fae') },
  pink: { tint: hex('#f07aa8') },
  brown: { tint: hex('#8a5a34') },
  silver: { tint: hex('#b8c0c8') },
  white: { tint: hex('#eef0f2') },
  black: { tint: hex('#1a1a1e') },
};

const CALM: MoodWord = { look: { motion: -0.5, turbulence: -0.25, contrast: -0.05 } };
const DREAMY: MoodWord = { look: { haze: 0.25, contrast: -0.15, exposure: 0.08 }, hazeColour: hex('#f4e6f2') };
const DRAMATIC: MoodWord = { look: { contrast: 0.2, vignette: 0.2, exposure: -0.1, sun: 0.2 } };
const WILD: MoodWord = { look: { motion: 0.9, turbulence: 0.45 } };
const EERIE: MoodWord = { look: { exposure: -0.25, haze: 0.2, saturation: -0.15 }, hazeColour: hex('#7d8c86') };
const VIVID: MoodWord = { look: { saturation: 0.4, exposure: 0.08 } };
const MUTED: MoodWord = { look: { saturation: -0.4, contrast: -0.1 } };
const MISTY: MoodWord = { look: { haze: 0.3, contrast: -0.1 }, hazeColour: hex('#dfe6ea') };
const SMOKY: MoodWord = { look: { haze: 0.35, contrast: -0.1, exposure: -0.1 }, hazeColour: hex('#8a8580') };
const BRIGHT: MoodWord = { look: { exposure: 0.12, sun: 0.4, contrast: 0.1 } };
const DARK: MoodWord = { look: { exposure: -0.3, contrast: 0.1 } };
const GLOWING: MoodWord = { look: { sun: 0.5, accent: 0.3 } };
const SOFT: MoodWord = { look: { contrast: -0.2, turbulence: -0.2 } };
const CINEMATIC: MoodWord = { look: { vignette: 0.2, contrast: 0.1, saturation: -0.08 } };
const VAST: MoodWord = { look: { detail: -0.35 } };
const INTRICATE: MoodWord = { look: { detail: 0.6, turbulence: 0.25 } };
const SLOW: MoodWord = { look: { motion: -0.4 } };
const FAST: MoodWord = { look: { motion: 0.6 } };

/** Light and mood words: they adjust the look, whatever the palette. */
export const MOOD_WORDS: Readonly<Record<string, MoodWord>> = {
  calm: CALM,
  serene: CALM,
  peaceful: CALM,
  tranquil: CALM,
  still: CALM,
  quiet: CALM,
  gentle: CALM,
  dreamy: DREAMY,
  ethereal: DREAMY,
  magical: DREAMY,
  surreal: DREAMY,
  dramatic: DRAMATIC,
  epic: DRAMATIC,
  intense: DRAMATIC,
  moody: DRAMATIC,
  chaotic: WILD,
  energetic: WILD,
  turbulent: WILD,
  wild: WILD,
  swirling: WILD,
  mysterious: EERIE,
  eerie: EERIE,
  ominous: EERIE,
  haunted: EERIE,
  vivid: VIVID,
  vibrant: VIVID,
  colorful: VIVID,
  colourful: VIVID,
  cheerful: VIVID,
  happy: VIVID,
  playful: VIVID,
  saturated: VIVID,
  muted: MUTED,
  faded: MUTED,
  melancholy: MUTED,
  melancholic: MUTED,
  sad: MUTED,
  somber: MUTED,
  sombre: MUTED,
  desaturated: MUTED,
  misty: MISTY,
  mist: MISTY,
  foggy: MISTY,
  fog: MISTY,
  hazy: MISTY,
  haze: MISTY,
  cloudy: MISTY,
  smoky: SMOKY,
  smoke: SMOKY,
  dusty: SMOKY,
  bright: BRIGHT,
  sunny: BRIGHT,
  daylight: BRIGHT,
  noon: BRIGHT,
  luminous: BRIGHT,
  dark: DARK,
  dim: DARK,
  gloomy: DARK,
  shadowy: DARK,
  glowing: GLOWING,
  glow: GLOWING,
  radiant: GLOWING,
  shimmering: GLOWING,
  soft: SOFT,
  smooth: SOFT,
  cinematic: CINEMATIC,
  film: CINEMATIC,
  '35mm': CINEMATIC,
  filmic: CINEMATIC,
  vast: VAST,
  wide: VAST,
  panoramic: VAST,
  landscape: VAST,
  aerial: VAST,
  intricate: INTRICATE,
  detailed: INTRICATE,
  macro: INTRICATE,
  fractal: INTRICATE,
  textured: INTRICATE,
  slow: SLOW,
  lazy: SLOW,
  drifting: SLOW,
  fast: FAST,
  rushing: FAST,
  flowing: FAST,
};
