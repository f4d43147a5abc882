/** Checks made on files before sdm opens them. */
package io.github.sdm.core.files;
