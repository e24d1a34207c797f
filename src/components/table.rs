//! The component table: the one list of primitives, in the order reports list them.
//!
//! Everything that covers every primitive walks this list with a [`PrimitiveVisitor`]:
//! [`crate::backend::selected`], the known-answer report, the constant-time harness, the
//! benchmarks and the vector generator. Adding a primitive is its module and one arm here.

use super::PrimitiveVisitor;
use super::ecdh_nist::{P256, P384};
use super::mlkem::{MlKem512, MlKem768, MlKem1024};
use super::x25519::X25519;

/// Runs `visitor` for the primitive at `index` of the table; `None` past the end.
pub fn visit<V: PrimitiveVisitor>(index: usize, visitor: V) -> Option<V::Output> {
    Some(match index {
        0 => visitor.visit::<MlKem512>(),
        1 => visitor.visit::<MlKem768>(),
        2 => visitor.visit::<MlKem1024>(),
        3 => visitor.visit::<X25519>(),
        4 => visitor.visit::<P256>(),
        5 => visitor.visit::<P384>(),
        _ => return None,
    })
}

/// Runs `visitor` for every primitive of the table, in order (`visitor` is copied for each).
pub fn for_each<V: PrimitiveVisitor + Clone>(visitor: V) -> impl Iterator<Item = V::Output> {
    (0..).map_while(move |index| visit(index, visitor.clone()))
}
