//! placeholder: the node binding lands here.
