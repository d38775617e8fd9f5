from enum import StrEnum

class RuleOutAlgorithm(StrEnum):
    ALL = "all"
    ANY = "any"
    FUZZY = "fuzzy"
    LITERAL = "literal"
    REGEX = "regex"

    def __str__(self) -> str:
        return str(self.value)
