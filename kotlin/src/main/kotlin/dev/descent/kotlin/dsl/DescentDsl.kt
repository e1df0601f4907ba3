package dev.descent.kotlin.dsl

/**
 * Marks Descent's DSL builders, so that inside a nested block only the innermost builder's functions are in
 * scope without a qualifier: `linear(...)` inside a `group { }` of an optimizer block does not reach an
 * enclosing `sequential { }`.
 */
@DslMarker
annotation class DescentDsl
