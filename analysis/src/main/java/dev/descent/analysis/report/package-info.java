/**
 * What studies write into their run folders: CSV tables, JSON documents and PNG line plots.
 */
package dev.descent.analysis.report;
