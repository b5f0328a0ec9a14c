//! placeholder: the python binding lands here.
