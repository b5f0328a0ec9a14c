//! placeholder: the c binding lands here.
