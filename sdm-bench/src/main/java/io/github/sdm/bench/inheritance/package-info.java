/**
 * Feature inheritance measured across backends ({@code sdm bench tool inheritance-backends}): engine-free, through the
 * network SPI, over the timing helpers of {@code bench.perf} and the machine and memory readings of
 * {@code bench.report}.
 */
package io.github.sdm.bench.inheritance;
