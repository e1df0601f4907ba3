package dev.descent.kotlin.dsl

import dev.descent.nn.Module
import io.kotest.assertions.withClue
import io.kotest.matchers.shouldBe

/** Checks that [a] and [b] have the same parameter and buffer names, shapes and values, bit for bit. */
fun shouldHaveSameState(a: Module, b: Module) {
    val x = a.stateDict()
    val y = b.stateDict()
    x.keys.toList() shouldBe y.keys.toList()
    for ((name, t) in x) {
        withClue(name) {
            t.shape() shouldBe y.getValue(name).shape()
            t.toDoubleArray().toList() shouldBe y.getValue(name).toDoubleArray().toList()
        }
    }
}
