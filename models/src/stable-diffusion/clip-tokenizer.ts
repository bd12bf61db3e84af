/**
 * The CLIP text tokenizer that Stable Diffusion's text encoders expect, read
 * from the model's own Hugging Face / Optimum `tokenizer/` folder, so the ids
 * always match the vocabulary the ONNX text encoder was exported with.
 *
 * Text is cleaned as CLIP does (HTML entities decoded twice, NFC, runs of
 * whitespace collapsed, trimmed, lower-cased), split by CLIP's pre-tokenizer
 * pattern, turned into UTF-8 bytes shown as GPT-2's byte-to-unicode symbols,
 * and merged by byte-pair encoding in merges.txt's order, with `</w>` marking
 * each word's end. The ids are wrapped in BOS/EOS, truncated to
 * `model_max_length` and padded with the config's `pad_token`.
 *
 * Folders that have a `tokenizer.json` (the "fast" tokenizer file) are encoded
 * by `@huggingface/tokenizers`: it is pure JavaScript with no dependencies, no
 * install scripts and no downloads, and it gives the same ids as the byte-pair
 * encoder below for CLIP's tokenizer.json (the tests check this). The file's
 * `model.vocab` and `model.merges` are still read here, to check them and to
 * find the special tokens' ids. The HF pipeline does not decode HTML entities,
 * so the text is cleaned here first on both paths.
 * Not done: ftfy's mojibake repair, which CLIP's Python code also runs.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Tokenizer as HuggingFaceTokenizer } from '@huggingface/tokenizers';

/** A tokenizer file that is missing or malformed; the message names the file. */
export class TokenizerFilesError extends Error {
  override name = 'TokenizerFilesError';
}

export interface ClipTokenizerFiles {
  /** vocab.json: token → id. */
  vocab: Record<string, number>;
  /** merges.txt: one merge "a b" a line, ranked by order; a first `#version` line is skipped. */
  merges: string;
  /** tokenizer_config.json (special tokens, model_max_length). */
  config?: unknown;
}

const START_OF_TEXT = '<|startoftext|>';
const END_OF_TEXT = '<|endoftext|>';
/** CLIP's context length; also used where an export leaves model_max_length unset or huge (1e30). */
const CLIP_CONTEXT_LENGTH = 77;
/** Larger model_max_length values mean "no limit set" (transformers writes int(1e30)). */
const MAX_PLAUSIBLE_LENGTH = 1_000_000;
const END_OF_WORD = '</w>';
/** Bounds the per-word cache of a long-running process. */
const WORD_CACHE_LIMIT = 10_000;

/** CLIP's pre-tokenizer: special tokens, English contractions, letter runs, single digits, other symbol runs. */
const CLIP_PRE_TOKENIZER = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/giu;

/** The names that error messages use for each file. */
interface FileNames {
  vocab: string;
  merges: string;
  config: string;
}

const DEFAULT_FILE_NAMES: FileNames = { vocab: 'vocab.json', merges: 'merges.txt', config: 'tokenizer_config.json' };

/** Lets fromFolder pass file paths and the tokenizer.json pipeline through the public constructor. */
const folderOptions = Symbol('ClipTokenizer folder options');

interface FolderOptions {
  names: FileNames;
  /** Parsed tokenizer.json, encoded by @huggingface/tokenizers instead of the byte-pair encoder. */
  tokenizerJson?: Record<string, unknown>;
}

type FilesFromFolder = ClipTokenizerFiles & { [folderOptions]?: FolderOptions };

/** Turns cleaned text into the ids of its tokens (no BOS/EOS). */
interface TextTokenEncoder {
  encodeText(cleanedText: string): number[];
}

export class ClipTokenizer {
  readonly maxLength: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
  readonly #textEncoder: TextTokenEncoder;

  /** Reads `dir`'s tokenizer.json if it has one, else vocab.json and merges.txt; and tokenizer_config.json. */
  static async fromFolder(dir: string): Promise<ClipTokenizer> {
    const config = await readFolderConfig(dir);
    const configName = path.join(dir, 'tokenizer_config.json');

    const tokenizerJsonPath = path.join(dir, 'tokenizer.json');
    const tokenizerJson = await readJsonFile(tokenizerJsonPath);
    if (tokenizerJson !== undefined) {
      const { vocab, merges } = readTokenizerJsonModel(tokenizerJson, tokenizerJsonPath);
      const options: FolderOptions = {
        names: { vocab: tokenizerJsonPath, merges: tokenizerJsonPath, config: configName },
        tokenizerJson: tokenizerJson as Record<string, unknown>, // an object: readTokenizerJsonModel checked
      };
      return new ClipTokenizer({ vocab, merges, config, [folderOptions]: options } as FilesFromFolder);
    }

    const vocabPath = path.join(dir, 'vocab.json');
    const mergesPath = path.join(dir, 'merges.txt');
    const vocab = (await readJsonFile(vocabPath)) ?? missingFile(dir, 'vocab.json (nor a tokenizer.json)');
    const merges = (await readTextFile(mergesPath)) ?? missingFile(dir, 'merges.txt');
    const options: FolderOptions = { names: { vocab: vocabPath, merges: mergesPath, config: configName } };
    return new ClipTokenizer({ vocab: vocab as Record<string, number>, merges, config, [folderOptions]: options } as FilesFromFolder);
  }

  constructor(files: ClipTokenizerFiles) {
    const options = (files as FilesFromFolder)[folderOptions];
    const names = options?.names ?? DEFAULT_FILE_NAMES;
    const vocab = readVocab(files.vocab, names.vocab);
    const mergeRanks = readMergeRanks(files.merges, names.merges);
    const config = readConfig(files.config, names.config);

    this.maxLength = config.maxLength;
    this.bosId = idOf(vocab, config.tokens.bos, 'bos_token', names);
    this.eosId = idOf(vocab, config.tokens.eos, 'eos_token', names);
    this.padId = idOf(vocab, config.tokens.pad, 'pad_token', names);
    const unkId = idOf(vocab, config.tokens.unk, 'unk_token', names);

    this.#textEncoder = options?.tokenizerJson
      ? new HuggingFaceTextEncoder(options.tokenizerJson, configObject(files.config), names.vocab)
      : new BytePairEncoder(vocab, mergeRanks, unkId);
  }

  /** Token ids of `text`: BOS, the text's tokens (truncated), EOS, then padding, exactly maxLength long. */
  encode(text: string): Int32Array {
    const ids = new Int32Array(this.maxLength).fill(this.padId);
    ids.set(this.tokenize(text).ids);
    return ids;
  }

  /** Same, without padding (for tests and prompt-length warnings): and whether it was truncated. */
  tokenize(text: string): { ids: number[]; truncated: boolean } {
    const textIds = this.#textEncoder.encodeText(cleanPrompt(text));
    const room = this.maxLength - 2;
    const truncated = textIds.length > room;
    return { ids: [this.bosId, ...(truncated ? textIds.slice(0, room) : textIds), this.eosId], truncated };
  }
}

// ---- Text cleaning ----------------------------------------------------------

/** CLIP's basic_clean + whitespace_clean + lower(), with NFC as the fast tokenizer's normalizer does. */
function cleanPrompt(text: string): string {
  const unescaped = decodeHtmlEntities(decodeHtmlEntities(text)); // twice, as CLIP does ("&amp;amp;" → "&")
  return unescaped.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** The common HTML entities and all numeric ones (the semicolon is optional after numbers, as in Python's html.unescape). */
function decodeHtmlEntities(text: string): string {
  return text.replace(/&(?:#(\d+);?|#[xX]([0-9a-fA-F]+);?|([a-zA-Z]+);)/g, (entity, decimal?: string, hex?: string, name?: string) => {
    if (name !== undefined) return NAMED_ENTITIES[name] ?? entity;
    return characterForCode(decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16));
  });
}

function characterForCode(code: number): string {
  const isSurrogate = code >= 0xd800 && code <= 0xdfff;
  if (!Number.isFinite(code) || code === 0 || code > 0x10ffff || isSurrogate) return '\ufffd';
  return String.fromCodePoint(code);
}

// ---- Byte-pair encoding -----------------------------------------------------

/**
 * GPT-2's table from bytes to printable characters: printable Latin-1 bytes stand for
 * themselves, the others (controls, space, soft hyphen…) take U+0100 onwards in byte order.
 */
function byteToSymbolTable(): readonly string[] {
  const isPrintable = (byte: number) => (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
  let nextSpare = 0x100;
  return Array.from({ length: 256 }, (_, byte) => String.fromCharCode(isPrintable(byte) ? byte : nextSpare++));
}

const BYTE_TO_SYMBOL = byteToSymbolTable();
const utf8 = new TextEncoder();

/** A word's BPE symbols before merging: one per UTF-8 byte, the last one marked as the word's end. */
function initialSymbols(word: string): string[] {
  const symbols = Array.from(utf8.encode(word), (byte) => BYTE_TO_SYMBOL[byte] as string);
  symbols[symbols.length - 1] += END_OF_WORD;
  return symbols;
}

/** Symbols never contain a space (merges are split on it), so it separates the two halves of a key. */
const pairKey = (first: string, second: string) => `${first} ${second}`;

/** Repeatedly merges the adjacent pair that merges.txt ranks first, until no ranked pair is left. */
function applyMerges(symbols: readonly string[], mergeRanks: ReadonlyMap<string, number>): string[] {
  let word = [...symbols];
  while (word.length > 1) {
    const best = bestRankedPair(word, mergeRanks);
    if (best === undefined) break;
    word = mergeEveryOccurrence(word, best[0], best[1]);
  }
  return word;
}

function bestRankedPair(word: readonly string[], mergeRanks: ReadonlyMap<string, number>): [string, string] | undefined {
  let best: [string, string] | undefined;
  let bestRank = Infinity;
  for (let i = 0; i + 1 < word.length; i++) {
    const pair: [string, string] = [word[i] as string, word[i + 1] as string];
    const rank = mergeRanks.get(pairKey(...pair));
    if (rank !== undefined && rank < bestRank) {
      bestRank = rank;
      best = pair;
    }
  }
  return best;
}

/** Merges each non-overlapping `first second`, scanning left to right. */
function mergeEveryOccurrence(word: readonly string[], first: string, second: string): string[] {
  const merged: string[] = [];
  for (let i = 0; i < word.length; i++) {
    if (word[i] === first && word[i + 1] === second) {
      merged.push(first + second);
      i++;
    } else {
      merged.push(word[i] as string);
    }
  }
  return merged;
}

class BytePairEncoder implements TextTokenEncoder {
  readonly #wordCache = new Map<string, number[]>();
  readonly #vocab: ReadonlyMap<string, number>;
  readonly #mergeRanks: ReadonlyMap<string, number>;
  readonly #unkId: number;

  constructor(vocab: ReadonlyMap<string, number>, mergeRanks: ReadonlyMap<string, number>, unkId: number) {
    this.#vocab = vocab;
    this.#mergeRanks = mergeRanks;
    this.#unkId = unkId;
  }

  encodeText(cleanedText: string): number[] {
    return Array.from(cleanedText.matchAll(CLIP_PRE_TOKENIZER), (match) => this.#encodeWord(match[0])).flat();
  }

  #encodeWord(word: string): number[] {
    const cached = this.#wordCache.get(word);
    if (cached) return cached;
    const ids = this.#isSpecialToken(word)
      ? [this.#vocab.get(word) as number]
      : applyMerges(initialSymbols(word), this.#mergeRanks).map((symbol) => this.#vocab.get(symbol) ?? this.#unkId);
    if (this.#wordCache.size >= WORD_CACHE_LIMIT) this.#wordCache.clear();
    this.#wordCache.set(word, ids);
    return ids;
  }

  /** The pattern keeps `<|startoftext|>` and `<|endoftext|>` whole; they are vocabulary entries, not words. */
  #isSpecialToken(word: string): boolean {
    return (word === START_OF_TEXT || word === END_OF_TEXT) && this.#vocab.has(word);
  }
}

class HuggingFaceTextEncoder implements TextTokenEncoder {
  readonly #tokenizer: HuggingFaceTokenizer;

  constructor(tokenizerJson: Record<string, unknown>, config: Record<string, unknown>, fileName: string) {
    try {
      // The library needs added_tokens, which hand-written files may leave out.
      this.#tokenizer = new HuggingFaceTokenizer({ added_tokens: [], ...tokenizerJson }, config);
    } catch (error) {
      throw new TokenizerFilesError(`${fileName} could not be loaded as a tokenizer: ${errorMessage(error)}`);
    }
  }

  encodeText(cleanedText: string): number[] {
    return this.#tokenizer.encode(cleanedText, { add_special_tokens: false }).ids;
  }
}

// ---- Reading the files ------------------------------------------------------

function readVocab(raw: unknown, fileName: string): Map<string, number> {
  if (!isPlainObject(raw)) throw new TokenizerFilesError(`${fileName} must be a JSON object of token → id.`);
  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(raw)) {
    if (!Number.isSafeInteger(id) || (id as number) < 0 || (id as number) > 0x7fffffff) {
      throw new TokenizerFilesError(`${fileName}: the id of ${JSON.stringify(token)} is ${JSON.stringify(id)}, not a non-negative 32-bit integer.`);
    }
    vocab.set(token, id as number);
  }
  if (vocab.size === 0) throw new TokenizerFilesError(`${fileName} has no tokens.`);
  return vocab;
}

/** merges.txt → "first second" → rank (its line order). */
function readMergeRanks(text: unknown, fileName: string): Map<string, number> {
  if (typeof text !== 'string') throw new TokenizerFilesError(`${fileName} must be text.`);
  const lines = text.split(/\r?\n/);
  if (lines[0]?.startsWith('#version')) lines.shift();
  const ranks = new Map<string, number>();
  lines.forEach((line, index) => {
    if (line === '') return;
    const pair = line.split(' ');
    if (pair.length !== 2 || pair[0] === '' || pair[1] === '') {
      throw new TokenizerFilesError(`${fileName}: merge ${index + 1} (${JSON.stringify(line.slice(0, 80))}) is not two symbols separated by one space.`);
    }
    const key = pairKey(pair[0] as string, pair[1] as string);
    if (!ranks.has(key)) ranks.set(key, ranks.size);
  });
  return ranks;
}

interface TokenizerSettings {
  maxLength: number;
  tokens: { bos: string; eos: string; pad: string; unk: string };
}

function readConfig(raw: unknown, fileName: string): TokenizerSettings {
  if (raw !== undefined && !isPlainObject(raw)) throw new TokenizerFilesError(`${fileName} must be a JSON object.`);
  const config = raw ?? {};
  const token = (key: string, fallback: string) => tokenContent(config[key], key, fileName) ?? fallback;
  return {
    maxLength: readMaxLength(config['model_max_length'], fileName),
    tokens: {
      bos: token('bos_token', START_OF_TEXT),
      eos: token('eos_token', END_OF_TEXT),
      // transformers' CLIPTokenizer defaults: padding and unknown symbols use <|endoftext|>.
      pad: token('pad_token', END_OF_TEXT),
      unk: token('unk_token', END_OF_TEXT),
    },
  };
}

/** A special token is written as its text or as an AddedToken object `{ "content": … }`. */
function tokenContent(value: unknown, key: string, fileName: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (isPlainObject(value) && typeof value['content'] === 'string') return value['content'];
  throw new TokenizerFilesError(`${fileName}: ${key} must be a token string or an object with a "content" string.`);
}

function readMaxLength(value: unknown, fileName: string): number {
  if (value === undefined || value === null) return CLIP_CONTEXT_LENGTH;
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TokenizerFilesError(`${fileName}: model_max_length must be a number.`);
  if (value > MAX_PLAUSIBLE_LENGTH) return CLIP_CONTEXT_LENGTH;
  if (!Number.isInteger(value) || value < 2) {
    throw new TokenizerFilesError(`${fileName}: model_max_length ${value} cannot hold the start and end tokens.`);
  }
  return value;
}

function idOf(vocab: ReadonlyMap<string, number>, token: string, role: string, names: FileNames): number {
  const id = vocab.get(token);
  if (id === undefined) throw new TokenizerFilesError(`${names.vocab} has no ${JSON.stringify(token)}, the ${role} of ${names.config}.`);
  return id;
}

/** tokenizer.json's BPE model as vocab.json + merges.txt, with its added tokens in the vocabulary. */
function readTokenizerJsonModel(raw: unknown, fileName: string): { vocab: Record<string, number>; merges: string } {
  if (!isPlainObject(raw) || !isPlainObject(raw['model'])) throw new TokenizerFilesError(`${fileName} must be a JSON object with a "model".`);
  const model = raw['model'];
  if (model['type'] !== undefined && model['type'] !== 'BPE') {
    throw new TokenizerFilesError(`${fileName}: model.type is ${JSON.stringify(model['type'])}; CLIP's tokenizer is "BPE".`);
  }
  if (!isPlainObject(model['vocab'])) throw new TokenizerFilesError(`${fileName}: model.vocab must be an object of token → id.`);
  if (!Array.isArray(model['merges'])) throw new TokenizerFilesError(`${fileName}: model.merges must be a list.`);
  const addedTokens = (Array.isArray(raw['added_tokens']) ? raw['added_tokens'] : []).filter(isPlainObject);
  const addedEntries = addedTokens.filter((added) => typeof added['content'] === 'string').map((added) => [added['content'], added['id']]);
  // fromEntries, not assignment: a token named "__proto__" must stay a token.
  const vocab = Object.fromEntries([...Object.entries(model['vocab']), ...addedEntries]) as Record<string, number>;
  const merges = model['merges'].map((merge: unknown, index: number) => mergeLine(merge, index, fileName)).join('\n');
  return { vocab, merges };
}

/** A merge is "a b" or ["a", "b"] (newer files); either way it must be two symbols without spaces. */
function mergeLine(merge: unknown, index: number, fileName: string): string {
  const pair = typeof merge === 'string' ? merge.split(' ') : merge;
  const isTwoSymbols = Array.isArray(pair) && pair.length === 2 && pair.every((symbol) => typeof symbol === 'string' && symbol !== '' && !symbol.includes(' '));
  if (!isTwoSymbols) throw new TokenizerFilesError(`${fileName}: model.merges[${index}] (${JSON.stringify(merge)?.slice(0, 80)}) is not two symbols.`);
  return pair.join(' ');
}

/** tokenizer_config.json, with special_tokens_map.json's entries winning where it has one, as in transformers. */
async function readFolderConfig(dir: string): Promise<Record<string, unknown>> {
  const configPath = path.join(dir, 'tokenizer_config.json');
  const config = (await readJsonFile(configPath)) ?? missingFile(dir, 'tokenizer_config.json');
  if (!isPlainObject(config)) throw new TokenizerFilesError(`${configPath} must be a JSON object.`);
  const mapPath = path.join(dir, 'special_tokens_map.json');
  const specialTokensMap = await readJsonFile(mapPath);
  if (specialTokensMap === undefined) return config;
  if (!isPlainObject(specialTokensMap)) throw new TokenizerFilesError(`${mapPath} must be a JSON object.`);
  return { ...config, ...specialTokensMap };
}

function configObject(config: unknown): Record<string, unknown> {
  return isPlainObject(config) ? config : {};
}

/** The file's JSON, or undefined when it does not exist. */
async function readJsonFile(filePath: string): Promise<unknown> {
  const text = await readTextFile(filePath);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new TokenizerFilesError(`${filePath} is not valid JSON: ${errorMessage(error)}`);
  }
}

async function readTextFile(filePath: string): Promise<string | undefined> {
  try {
    return await readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TokenizerFilesError(`${filePath} could not be read: ${errorMessage(error)}`);
  }
}

function missingFile(dir: string, name: string): never {
  throw new TokenizerFilesError(`The tokenizer folder ${dir} has no ${name}.`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
