/**
 * The test kit every module's tests share (published as sdm-core's test-jar, consumed with
 * {@code <type>test-jar</type><scope>test</scope>}): the close comparison ({@link io.github.sdm.core.testkit.Close}
 * with a {@link io.github.sdm.core.testkit.Tolerance}), the locator of the repository's models and the reference
 * fixtures ({@link io.github.sdm.core.testkit.TestData}), the backend-independent parity suite
 * ({@link io.github.sdm.core.testkit.BackendParitySuite}) that every network backend runs, a forced garbage
 * collection ({@link io.github.sdm.core.testkit.GarbageCollection}), and the doclint check of
 * a module's public Javadoc ({@link io.github.sdm.core.testkit.JavadocLint}).
 *
 * <p>Only this package goes into the test-jar; sdm-core's own tests and its fake backend stay private to it.
 */
package io.github.sdm.core.testkit;
