package dev.descent.kotlin

import dev.descent.autograd.Variable
import dev.descent.nn.Linear
import dev.descent.tensor.Rng
import dev.descent.tensor.Shape
import dev.descent.tensor.Tensor
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import kotlin.reflect.KType
import kotlin.reflect.typeOf

/** The static type Kotlin gives [value]'s expression, as seen through the JSpecify annotations. */
private inline fun <reified T> staticType(@Suppress("UNUSED_PARAMETER") value: T): KType = typeOf<T>()

// The Java API is @NullMarked: Kotlin sees its types as non-null, except where @Nullable says a null may come.
// Without the annotations both calls below would have platform types, neither nullable nor non-null.
class NullnessSpec : StringSpec({
    "an optional bias is a nullable Variable, and null when left out" {
        val layer = Linear(2, 3, false, Rng(1))
        staticType(layer.bias()).isMarkedNullable shouldBe true
        val b: Variable? = layer.bias()
        b shouldBe null
        Linear(2, 3, true, Rng(1)).bias() shouldNotBe null
    }

    "a tensor's shape is a non-null Shape" {
        val shape: Shape = Tensor.zeros(2).shape()
        staticType(Tensor.zeros(2).shape()).isMarkedNullable shouldBe false
        shape shouldBe Shape.of(2)
    }
})
