/**
 * What studies write into their run folders: CSV tables, JSON documents and PNG line plots.
 */
@NullMarked
package dev.descent.analysis.report;

import org.jspecify.annotations.NullMarked;
