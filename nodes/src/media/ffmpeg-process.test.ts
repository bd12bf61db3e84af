import { describe, expect, it } from 'vitest';
import { CancelledError } from '../sdk/define-node.ts';
import { FfmpegError, lastLines, runFfmpeg, runFfprobe, runProcess } from './ffmpeg-process.ts';

const RAW_IN = ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', '64x64', '-framerate', '25', '-i', 'pipe:0'];

describe('runFfmpeg', () => {
  it('streams frames in and out through pipes, waiting whenever the pipe is full', async () => {
    // 200 frames of 64×64 (2.4 MB), read by ffmpeg at 400 frames a second (-re): a writer that
    // ignored backpressure would have handed over every frame before the first came back.
    const frame = new Uint8Array(64 * 64 * 3);
    let written = 0;
    let writtenAtFirstOutput: number | undefined;
    function* frames() {
      for (let i = 0; i < 200; i++) {
        written++;
        yield new Uint8Array(frame.length).fill(i);
      }
    }
    const received: Buffer[] = [];
    await runFfmpeg(['-re', ...RAW_IN.slice(0, 6), '-framerate', '400', ...RAW_IN.slice(8), '-vf', 'hflip', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], {
      input: frames(),
      onStdout: (chunk) => {
        writtenAtFirstOutput ??= written;
        received.push(chunk);
      },
    });
    const out = Buffer.concat(received);
    expect(written).toBe(200);
    expect(writtenAtFirstOutput).toBeLessThan(150);
    expect(out.length).toBe(200 * frame.length);
    expect(out[199 * frame.length]).toBe(199);
  });

  it('fails with the last lines ffmpeg wrote to stderr', async () => {
    const failure = runFfmpeg(['-i', 'file:/definitely/not/here.mp4', '-f', 'null', '-']);
    await expect(failure).rejects.toBeInstanceOf(FfmpegError);
    await expect(failure).rejects.toThrow(/ffmpeg exited with code 1:\n.*No such file or directory/);
  });

  it('reports a process that dies while being fed', async () => {
    // The unknown filter makes ffmpeg exit before it reads what it is fed.
    const failure = runFfmpeg([...RAW_IN, '-vf', 'nosuchfilter', '-f', 'null', '-'], { input: [new Uint8Array(64 * 64 * 3 * 50)] });
    await expect(failure).rejects.toThrow(/No such filter: 'nosuchfilter'/);
  });

  it('kills the process when the signal aborts and throws CancelledError', async () => {
    const controller = new AbortController();
    // An endless source: only the kill ends it.
    const run = runFfmpeg(['-re', '-f', 'lavfi', '-i', 'testsrc2=size=32x32:rate=25', '-f', 'null', '-'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(run).rejects.toBeInstanceOf(CancelledError);
  });

  it('kills a process that is being fed when the signal aborts', async () => {
    const controller = new AbortController();
    async function* endless() {
      for (;;) yield new Uint8Array(64 * 64 * 3);
    }
    const run = runFfmpeg([...RAW_IN, '-f', 'null', '-'], { signal: controller.signal, input: endless() });
    setTimeout(() => controller.abort(), 200);
    await expect(run).rejects.toBeInstanceOf(CancelledError);
  });

  it('does not start when the signal is already aborted', async () => {
    await expect(runFfmpeg(['-version'], { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(CancelledError);
  });

  it('turns an exception of the stdout consumer into the result and stops ffmpeg', async () => {
    const run = runFfmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=32x32:rate=25', '-f', 'rawvideo', 'pipe:1'], {
      onStdout: () => {
        throw new RangeError('too much');
      },
    });
    await expect(run).rejects.toThrow('too much');
  });

  it('says clearly when the binary cannot be started', async () => {
    await expect(runProcess('ffmpeg', '/nonexistent/ffmpeg', [], {})).rejects.toThrow(/Could not start ffmpeg at "\/nonexistent\/ffmpeg": .*ENOENT/);
  });
});

describe('runProcess onStdout', () => {
  it('runs one call at a time, in order, even when the child exits while a call is pending', async () => {
    let active = 0;
    let most = 0;
    let bytes = 0;
    await runProcess('head', '/usr/bin/head', ['-c', '2000000', '/dev/zero'], {
      onStdout: async (chunk) => {
        active++;
        most = Math.max(most, active);
        // A slow consumer (the disk pushing back): head exits long before it catches up.
        await new Promise((resolve) => setTimeout(resolve, 5));
        bytes += chunk.byteLength;
        active--;
      },
    });
    expect(most).toBe(1);
    expect(bytes).toBe(2_000_000);
  });
});

describe('runFfprobe', () => {
  it('returns what ffprobe printed', async () => {
    const json = JSON.parse(await runFfprobe(['-print_format', 'json', '-show_format', '-f', 'lavfi', '-i', 'testsrc2=duration=1']));
    expect(json.format.format_name).toBe('lavfi');
  });
});

describe('lastLines', () => {
  it('keeps the last non-empty lines', () => {
    expect(lastLines('a\n\nb\r\nc\rd\n', 2)).toBe('c\nd');
  });
});
