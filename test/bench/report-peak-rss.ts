/**
 * Preloaded (`node --import`) into a process whose memory a benchmark
 * measures: at exit it writes the process's peak resident set size, in
 * bytes, to the file named by REELGRAPH_PEAK_RSS_FILE.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.REELGRAPH_PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
