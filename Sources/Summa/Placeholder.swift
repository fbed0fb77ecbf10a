import Paillier
