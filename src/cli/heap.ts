/**
 * How far the JavaScript heap may grow past what is live, for the commands that move many
 * objects. A push or fetch of small objects makes ~17 KB of garbage per request (most of it the
 * AWS SDK's), which outlives the young-generation collections while 16 requests are in flight;
 * V8 then lets the old generation grow to about 4x what is live before it collects (the
 * collections are cheap next to the requests). With ~450 MB live for a million objects that
 * was a 1.9 GB peak for an S3 push (bench/README "scale-remote"). Growing by half of what is
 * live keeps the peak near 1.5x, for a few more full collections.
 */
import v8 from 'node:v8';

export function boundHeapGrowth(): void {
  v8.setFlagsFromString('--heap-growing-percent=50');
}
